-- ERP material master data (issue 20, docs/erp.md): the classes an ERP files each inventory item under (B2MML
-- MaterialClassID), in the document's order. The ERP is the master: an import replaces an item's classes.
CREATE TABLE material_classes (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    class       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, item_id, position),
    UNIQUE (tenant_id, item_id, class),
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id) ON DELETE CASCADE
);

-- What-if plans (issue 20, docs/production.md): a scenario planned beside the followed plan, kept a day so it can
-- be applied; stamp fingerprints the followed plan it was compared with (applying is refused when it changed).
CREATE TABLE what_if_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    asked_at    INTEGER NOT NULL,
    stamp       TEXT    NOT NULL,
    scenario    TEXT    NOT NULL,  -- the question, JSON
    placements  TEXT    NOT NULL,  -- where the scenario plans each job, JSON
    moves       TEXT    NOT NULL,  -- the waiting jobs it moves, JSON
    applied_at  INTEGER
);
CREATE INDEX what_if_plans_by_time ON what_if_plans (tenant_id, asked_at);
