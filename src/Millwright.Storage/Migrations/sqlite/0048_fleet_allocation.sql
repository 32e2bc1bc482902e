-- Fleet allocation (issue 17): what the solver needs stored. A machine's allocation profile (category,
-- capabilities, daily rate) beside its AEMP identity; job sites' requests; operators with their licences and
-- absences (JSON arrays, replaced whole by a PUT); and every plan revision with its assignments, each with the
-- dispatch state of the command sent to the machine. Times are Unix milliseconds.
CREATE TABLE fleet_allocation_profiles (
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id   INTEGER NOT NULL,
    category     TEXT    NOT NULL,
    capabilities TEXT    NOT NULL,
    daily_rate   REAL    NOT NULL CHECK (daily_rate >= 0),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES fleet_equipment (tenant_id, machine_id) ON DELETE CASCADE
);

CREATE TABLE fleet_site_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site             TEXT    NOT NULL,
    category         TEXT    NOT NULL,
    min_capabilities TEXT    NOT NULL,
    latitude         REAL    NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude        REAL    NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    starts_at        INTEGER NOT NULL,
    ends_at          INTEGER NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'cancelled')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK (starts_at < ends_at),
    UNIQUE (tenant_id, id)
);

CREATE TABLE fleet_operators (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    licences    TEXT    NOT NULL,
    unavailable TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

-- status: proposed until accepted; accepting one supersedes the accepted before it. unserved: JSON [{requestId,
-- reason}]; skipped: JSON [{machineId, reason}], the profiled machines not offered (no location, broken down).
CREATE TABLE fleet_allocation_plans (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    revision         INTEGER NOT NULL,
    based_on         INTEGER,
    reason           TEXT    NOT NULL,
    method           TEXT    NOT NULL,
    total_cost       REAL    NOT NULL,
    greedy_cost      REAL    NOT NULL,
    changes          INTEGER NOT NULL,
    change_penalty   REAL    NOT NULL,
    road_factor      REAL    NOT NULL,
    transport_per_km REAL    NOT NULL,
    unserved         TEXT    NOT NULL,
    skipped          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('proposed', 'accepted', 'superseded')),
    created_at       INTEGER NOT NULL,
    accepted_at      INTEGER,
    UNIQUE (tenant_id, revision),
    UNIQUE (tenant_id, id)
);

-- dispatch_status: not_sent until the plan is accepted, then sent (or failed: the port refused it, the detail
-- says why), then acknowledged or failed by the machine's answer. The operator's name is kept as planned, so
-- that removing an operator later leaves past plans readable (operator_id is then dangling on purpose).
CREATE TABLE fleet_plan_assignments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan_id         INTEGER NOT NULL,
    request_id      INTEGER NOT NULL,
    machine_id      INTEGER NOT NULL,
    operator_id     INTEGER,
    operator_name   TEXT,
    road_km         REAL    NOT NULL,
    transport_cost  REAL    NOT NULL,
    rental_cost     REAL    NOT NULL,
    moved           INTEGER NOT NULL,
    dispatch_status TEXT    NOT NULL CHECK (dispatch_status IN ('not_sent', 'sent', 'acknowledged', 'failed')),
    dispatch_detail TEXT,
    dispatched_at   INTEGER,
    answered_at     INTEGER,
    UNIQUE (tenant_id, plan_id, request_id),
    FOREIGN KEY (tenant_id, plan_id) REFERENCES fleet_allocation_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, request_id) REFERENCES fleet_site_requests (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_plan_assignments_by_machine ON fleet_plan_assignments (tenant_id, machine_id);
