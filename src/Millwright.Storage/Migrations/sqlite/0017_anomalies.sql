-- Anomaly detection (issue 21): which tags of a machine type are watched, one row per watched series (machine,
-- tag) with the operator's feedback, each series' learned detector state per machine-state context, and the
-- anomalous readings found. Times are Unix milliseconds.

-- A type without a row is watched by the defaults (docs/anomaly-detection.md). watched: "tag:sensitivity,..."
-- (empty: nothing watched).
CREATE TABLE anomaly_settings (
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_type_id INTEGER NOT NULL,
    watched         TEXT    NOT NULL,
    severity        TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_type_id),
    FOREIGN KEY (tenant_id, machine_type_id) REFERENCES machine_types (tenant_id, id) ON DELETE CASCADE
);

-- One row per series the detector has seen; its id, negated, is the rule_id of the series' alarms. The
-- discounts (in units of surprise, ln of "1 in N") are what operator feedback has learned, per kind of deviation.
CREATE TABLE anomaly_series (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id         INTEGER NOT NULL,
    tag                TEXT    NOT NULL,
    discount_jump      REAL    NOT NULL DEFAULT 0,
    discount_level     REAL    NOT NULL DEFAULT 0,
    discount_pattern   REAL    NOT NULL DEFAULT 0,
    discount_variance  REAL    NOT NULL DEFAULT 0,
    discount_sustained REAL    NOT NULL DEFAULT 0,
    false_marks        INTEGER NOT NULL DEFAULT 0,
    true_marks         INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    UNIQUE (tenant_id, machine_id, tag),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);

-- The saved detector of one series in one context (running, idle, any): fixed size, rewritten in place.
CREATE TABLE anomaly_detectors (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    series_id  INTEGER NOT NULL,
    context    TEXT    NOT NULL,
    state      BLOB    NOT NULL,
    learned    INTEGER NOT NULL,
    saved_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, series_id, context),
    FOREIGN KEY (tenant_id, series_id) REFERENCES anomaly_series (tenant_id, id) ON DELETE CASCADE
);

-- Readings at least as unusual as their series' sensitivity asks for.
CREATE TABLE anomalies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    series_id      INTEGER NOT NULL,
    machine_id     INTEGER NOT NULL,
    tag            TEXT    NOT NULL,
    context        TEXT    NOT NULL,
    at             INTEGER NOT NULL,
    value          REAL    NOT NULL,
    score          REAL    NOT NULL,
    raw_score      REAL    NOT NULL,
    rarity         REAL    NOT NULL,
    cause          TEXT    NOT NULL,
    expected_low   REAL    NOT NULL,
    expected_high  REAL    NOT NULL,
    since_at       INTEGER NOT NULL,
    explanation    TEXT    NOT NULL,
    feedback       TEXT    CHECK (feedback IN ('false', 'true')),
    feedback_by    TEXT,
    feedback_at    INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, series_id) REFERENCES anomaly_series (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX anomalies_by_machine ON anomalies (tenant_id, machine_id, at);
