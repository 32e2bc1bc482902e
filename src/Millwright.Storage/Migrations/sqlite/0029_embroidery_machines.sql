-- Embroidery (issue 15): each embroidery machine's set-up, which plan timing and the needle plan read.

-- Its speed, its stop times, and the thread on each of its needles: a JSON array, one entry per needle, "#rrggbb"
-- or null for a needle without thread. What the operator records; a machine without a row is not set up.
CREATE TABLE embroidery_machines (
    tenant_id            INTEGER NOT NULL,
    machine_id           INTEGER NOT NULL,
    stitches_per_minute  INTEGER NOT NULL,
    trim_seconds         REAL    NOT NULL,
    change_seconds       REAL    NOT NULL,
    rethread_seconds     REAL    NOT NULL,
    needles              TEXT    NOT NULL,
    updated_at           INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
