-- Embroidery (issue 15): how many heads an embroidery machine has. A multi-head machine sews that many pieces of a
-- design at once, each head on its own garment: the plan times a job by its runs (pieces / heads, rounded up), and the
-- KPI divides the machine's stitches by its heads. A machine not set up has one.
ALTER TABLE embroidery_machines ADD COLUMN heads INTEGER NOT NULL DEFAULT 1;
