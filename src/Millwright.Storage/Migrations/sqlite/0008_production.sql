-- Production (issue 6): machine capabilities, routings, orders and their jobs.

-- What a machine can do ("5-axis-milling", "embroidery-12-needle", "sand-printing"); routings ask for these.
CREATE TABLE machine_capabilities (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    capability  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, machine_id, capability),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX machine_capabilities_by_name ON machine_capabilities (tenant_id, capability);

-- How an item is made: its operations as one JSON document, validated by the API (one routing per item).
CREATE TABLE routings (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL,
    document    TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    number        TEXT    NOT NULL,
    customer      TEXT    NOT NULL,
    item_id       INTEGER NOT NULL,
    site_id       INTEGER NOT NULL,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    due_at        INTEGER NOT NULL,
    priority      INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 100),
    customization TEXT,               -- the customer's own JSON (C2M), kept as sent
    status        TEXT    NOT NULL CHECK (status IN ('planned', 'released', 'in_progress', 'completed', 'cancelled')),
    problem       TEXT,               -- why the planner cannot schedule it, while that holds
    eta_at        INTEGER,
    good          INTEGER NOT NULL DEFAULT 0,
    scrap         INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    released_at   INTEGER,
    completed_at  INTEGER,
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
CREATE INDEX orders_by_status ON orders (tenant_id, status);

-- One job per operation of an order, copied from the routing when the order is created (a later routing
-- change does not alter orders already taken). Times are Unix ms.
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    order_id       INTEGER NOT NULL,
    seq            INTEGER NOT NULL,  -- position in the order's chain of operations
    operation      TEXT    NOT NULL,
    capability     TEXT    NOT NULL,
    program        TEXT    NOT NULL,
    setup_ms       INTEGER NOT NULL CHECK (setup_ms >= 0),
    unit_ms        INTEGER NOT NULL CHECK (unit_ms > 0),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    machines       TEXT,              -- JSON array of allowed machine ids; NULL: any machine with the capability
    materials      TEXT,              -- JSON array of {itemId, quantity per unit}
    status         TEXT    NOT NULL CHECK (status IN ('waiting', 'dispatched', 'running', 'done', 'cancelled')),
    machine_id     INTEGER,           -- planned machine while waiting, then the machine running it
    planned_start  INTEGER,
    planned_setup_ms INTEGER,          -- the setup the plan gives it: none after a job of the same program on that machine
    planned_end    INTEGER,
    committed_end  INTEGER,           -- the planned end when dispatched: what schedule adherence measures against
    dispatched_at  INTEGER,
    started_at     INTEGER,
    ended_at       INTEGER,
    good           INTEGER NOT NULL DEFAULT 0,
    scrap          INTEGER NOT NULL DEFAULT 0,
    commands       INTEGER NOT NULL DEFAULT 0,  -- commands sent for it, numbering the next commandId
    rejected_by    TEXT,              -- JSON array of machine ids that refused it
    unanswered_by  TEXT,              -- JSON array of machine ids that did not answer its command in time
    note           TEXT,              -- the last rejection or move, for people
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, order_id, seq),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id)
);
CREATE INDEX jobs_open ON jobs (tenant_id, status);
CREATE INDEX jobs_by_machine ON jobs (tenant_id, machine_id, planned_start);

-- A job's runs that ended without finishing it (its machine went down or offline, or its order was cancelled),
-- kept so that the schedule still shows the work done there after the job moves on.
CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    job_id      INTEGER  NOT NULL,
    machine_id  INTEGER  NOT NULL,   -- no reference: a machine deleted later leaves its history
    started_at  INTEGER  NOT NULL,
    ended_at    INTEGER  NOT NULL,
    good        INTEGER  NOT NULL,   -- made in this run
    scrap       INTEGER  NOT NULL,
    reason      TEXT    NOT NULL,
    FOREIGN KEY (tenant_id, job_id) REFERENCES jobs (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX job_runs_by_job ON job_runs (tenant_id, job_id);
CREATE INDEX job_runs_by_end ON job_runs (tenant_id, ended_at);
