-- Back-filled history (issue 12): which span of a tenant's data was written after the fact (demo --history),
-- and the changes of policy recorded in it, so that a query or a KPI board can tell history from live data
-- and compare before and after a change.

-- Every state interval, production count, alarm and time-series point of the tenant between from_at and to_at
-- (Unix ms) was written by this back-fill, not reported live; source says by what ('demo').
CREATE TABLE history_backfills (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source      TEXT    NOT NULL,
    from_at     INTEGER NOT NULL,
    to_at       INTEGER NOT NULL CHECK (to_at >= from_at),
    messages    INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX history_backfills_by_tenant ON history_backfills (tenant_id, from_at);

-- A change in how the plant is run (a maintenance policy, a sequencing rule), from the time it took effect.
CREATE TABLE policy_changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX policy_changes_by_tenant ON policy_changes (tenant_id, at);
