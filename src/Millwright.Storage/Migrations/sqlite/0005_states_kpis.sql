-- Machine states, calendars, production counts and a small inventory (issue 5).

-- How a machine type's state is derived from its tags: ordered rules, default state, offline timeout,
-- counter tags and ideal cycle times. One JSON document per type, validated by the API.
CREATE TABLE state_rules (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    type_id     INTEGER NOT NULL,
    document    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, type_id),
    FOREIGN KEY (tenant_id, type_id) REFERENCES machine_types (tenant_id, id) ON DELETE CASCADE
);

-- State intervals; end_at is NULL while the interval is open (at most one open interval per machine).
CREATE TABLE machine_states (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id    INTEGER NOT NULL,
    state         TEXT    NOT NULL CHECK (state IN ('running', 'idle', 'setup', 'down', 'offline', 'planned_stop')),
    start_at      INTEGER NOT NULL,
    end_at        INTEGER,
    reason        TEXT,
    reason_source TEXT    CHECK (reason_source IN ('alarm', 'operator', 'calendar')),
    CHECK (end_at IS NULL OR end_at >= start_at),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX machine_states_by_machine ON machine_states (tenant_id, machine_id, start_at);
CREATE UNIQUE INDEX machine_states_one_open ON machine_states (tenant_id, machine_id) WHERE end_at IS NULL;

-- Counter increases per machine, program and minute, accumulated from telemetry as it arrives.
CREATE TABLE production_counts (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    bucket_at   INTEGER NOT NULL,  -- start of the minute, Unix ms
    program     TEXT    NOT NULL,  -- '' when the type names no program tag
    produced    REAL    NOT NULL,
    scrap       REAL    NOT NULL,
    energy      REAL    NOT NULL,
    PRIMARY KEY (tenant_id, machine_id, bucket_at, program),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);

-- Shifts, breaks, holidays and planned stops of a site: one JSON document, validated by the API.
CREATE TABLE site_calendars (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id     INTEGER NOT NULL,
    document    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, site_id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE inventory_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sku         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    unit        TEXT    NOT NULL,
    unit_cost   REAL    NOT NULL CHECK (unit_cost >= 0),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, sku),
    UNIQUE (tenant_id, id)
);

-- Receipts (+) and issues (-) of an item at a site; stock levels are their running sum.
CREATE TABLE inventory_movements (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL,
    site_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('receipt', 'issue')),
    quantity    REAL    NOT NULL CHECK (quantity > 0),
    unit_cost   REAL    NOT NULL CHECK (unit_cost >= 0),
    at          INTEGER NOT NULL,
    note        TEXT,
    created_by  TEXT    NOT NULL,
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)  -- no cascade: stock history outlives no site silently
);
CREATE INDEX inventory_movements_by_item ON inventory_movements (tenant_id, item_id, site_id, at);
