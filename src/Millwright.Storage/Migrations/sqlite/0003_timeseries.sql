-- Telemetry (issue 4): one row per series, an ingest log of committed batches, compressed chunks of at most
-- one aligned hour per series, and 1-minute / 1-hour rollups. docs/timeseries.md describes the layout.
-- No foreign key to machines: a deleted machine leaves its history until retention removes it.

CREATE TABLE ts_series (
    series_id    INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    machine_id   INTEGER NOT NULL,
    tag          TEXT    NOT NULL,
    kind         INTEGER NOT NULL,
    wrap_modulus REAL    NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    UNIQUE (tenant_id, machine_id, tag)
);

-- One row per acknowledged batch until a checkpoint moves its points into chunks (the write-ahead log).
CREATE TABLE ts_log (
    id     INTEGER PRIMARY KEY,
    points INTEGER NOT NULL,
    body   BLOB    NOT NULL
);

CREATE TABLE ts_chunks (
    series_id INTEGER NOT NULL,
    start_ts  INTEGER NOT NULL,
    end_ts    INTEGER NOT NULL,
    points    INTEGER NOT NULL,
    body      BLOB    NOT NULL,
    PRIMARY KEY (series_id, start_ts)
) WITHOUT ROWID;

CREATE TABLE ts_rollup_1m (
    series_id   INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    min_value   REAL    NOT NULL,
    max_value   REAL    NOT NULL,
    sum_value   REAL    NOT NULL,
    first_value REAL    NOT NULL,
    last_value  REAL    NOT NULL,
    increase    REAL,
    PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;

CREATE TABLE ts_rollup_1h (
    series_id   INTEGER NOT NULL,
    bucket      INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    min_value   REAL    NOT NULL,
    max_value   REAL    NOT NULL,
    sum_value   REAL    NOT NULL,
    first_value REAL    NOT NULL,
    last_value  REAL    NOT NULL,
    increase    REAL,
    PRIMARY KEY (series_id, bucket)
) WITHOUT ROWID;

-- Per-tenant retention in milliseconds; NULL keeps that level forever. Tenants without a row use the defaults.
CREATE TABLE ts_retention (
    tenant_id INTEGER PRIMARY KEY,
    raw_ms    INTEGER,
    minute_ms INTEGER,
    hour_ms   INTEGER
);
