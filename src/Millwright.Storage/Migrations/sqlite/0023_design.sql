-- Design workspace (issue 18): projects, their operation log (the tree CRDT's durable history, from which the
-- structure and every field's history are rebuilt), released revisions and the links to production items.

CREATE TABLE design_projects (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    product_family  TEXT,
    created_at      INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, name)
);

-- One row per acknowledged operation: an edit is acknowledged only after its row committed.
CREATE TABLE design_ops (
    tenant_id   INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    counter     INTEGER NOT NULL,
    replica     TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('move', 'set')),
    node        TEXT    NOT NULL,
    parent      TEXT,
    field       TEXT,
    value       TEXT,
    actor       TEXT    NOT NULL,
    stored_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, project_id, counter, replica),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX design_ops_by_field ON design_ops (tenant_id, project_id, node, field);

-- A released revision: the structure at a cut of the log, frozen as JSON; edits stamped at or before the last
-- cut are refused, so a released revision never changes.
CREATE TABLE design_revisions (
    tenant_id    INTEGER NOT NULL,
    project_id   INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    note         TEXT    NOT NULL,
    cut_counter  INTEGER NOT NULL,
    cut_replica  TEXT    NOT NULL,
    structure    TEXT    NOT NULL,
    released_at  INTEGER NOT NULL,
    released_by  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, project_id, number),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE
);

-- Which production item a design node became on release to manufacturing (and, by item, which node it came from).
CREATE TABLE design_item_links (
    tenant_id   INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    node        TEXT    NOT NULL,
    item_id     INTEGER NOT NULL,
    revision    INTEGER NOT NULL,
    linked_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, project_id, node),
    UNIQUE (tenant_id, item_id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id) ON DELETE CASCADE
);

-- Routing templates per part type: the operations a released part of that type is made with.
CREATE TABLE design_routing_templates (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    part_type   TEXT    NOT NULL,
    document    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, part_type)
);
