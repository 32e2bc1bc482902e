-- Alarms (issue 5): rules per machine type or machine, alarm occurrences with their ISA-18.2 state, the
-- history of every transition, and webhooks with their delivery attempts. Times are Unix milliseconds.

CREATE TABLE alarm_rules (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    machine_type_id INTEGER,
    machine_id      INTEGER,
    tag             TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('threshold', 'duration', 'rate', 'missing', 'state')),
    direction       TEXT    CHECK (direction IN ('high', 'low')),
    limit_value     REAL,
    deadband        REAL    NOT NULL DEFAULT 0,
    duration_s      INTEGER,
    state_value     TEXT,
    severity        TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    message         TEXT    NOT NULL,
    enabled         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id),
    CHECK ((machine_type_id IS NULL) <> (machine_id IS NULL)),
    FOREIGN KEY (tenant_id, machine_type_id) REFERENCES machine_types (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);

-- One row per occurrence. rule_id has no foreign key: an alarm's history outlives its rule, so the rule's
-- name, severity and rendered message are copied in when it is raised.
CREATE TABLE alarms (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    rule_id          INTEGER NOT NULL,
    machine_id       INTEGER NOT NULL,
    rule_name        TEXT    NOT NULL,
    tag              TEXT    NOT NULL,
    severity         TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('active', 'acknowledged', 'rtn_unack', 'shelved', 'closed')),
    condition_active INTEGER NOT NULL,
    last_value       TEXT,
    raised_at        INTEGER NOT NULL,
    cleared_at       INTEGER,
    acked_at         INTEGER,
    acked_by         TEXT,
    ack_comment      TEXT,
    shelved_until    INTEGER,
    shelved_by       TEXT,
    shelve_reason    TEXT,
    closed_at        INTEGER,
    updated_at       INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
-- At most one open occurrence per rule and machine: a condition that returns re-activates it.
CREATE UNIQUE INDEX alarms_open ON alarms (tenant_id, rule_id, machine_id) WHERE state <> 'closed';
CREATE INDEX alarms_by_state ON alarms (tenant_id, state, id);
CREATE INDEX alarms_by_raised ON alarms (tenant_id, raised_at);
CREATE INDEX alarms_shelved ON alarms (shelved_until) WHERE state = 'shelved';

CREATE TABLE alarm_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    alarm_id    INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    actor       TEXT,
    comment     TEXT,
    value       TEXT,
    FOREIGN KEY (tenant_id, alarm_id) REFERENCES alarms (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX alarm_events_by_alarm ON alarm_events (tenant_id, alarm_id, id);
CREATE INDEX alarm_events_by_time ON alarm_events (tenant_id, at);

-- The secret is kept in clear because signing needs it; the API never returns it.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    severities  TEXT    NOT NULL,  -- comma-separated subset of low, medium, high, critical
    enabled     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    webhook_id  INTEGER NOT NULL,
    event_id    INTEGER NOT NULL,
    alarm_id    INTEGER NOT NULL,
    attempt     INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    status_code INTEGER,
    error       TEXT,
    outcome     TEXT    NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (tenant_id, webhook_id, id);
