-- Anomaly bands (issue 21, docs/anomaly-detection.md): what each watched series' detector expected, per minute of
-- reading time, for the machine page's band around a tag's chart. A minute's row is the envelope of the expected
-- ranges of the readings scored in it (context: the machine state of its last reading), with the highest score.
-- Times are Unix milliseconds; rows older than the watcher's band retention are deleted at its periodic save.
CREATE TABLE anomaly_bands (
    tenant_id     BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    series_id     BIGINT NOT NULL,
    minute        BIGINT NOT NULL,
    context       TEXT    NOT NULL,
    expected_low  DOUBLE PRECISION NOT NULL,
    expected_high DOUBLE PRECISION NOT NULL,
    max_score     DOUBLE PRECISION NOT NULL,
    readings      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, series_id, minute),
    FOREIGN KEY (tenant_id, series_id) REFERENCES anomaly_series (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX anomaly_bands_by_minute ON anomaly_bands (tenant_id, minute);

-- Per-machine-type risk settings (docs/predictive-maintenance.md): the chance of failing before maintenance that is
-- accepted, and how far ahead (hours) the planner puts a stop in the calendar. A type without a row uses the defaults.
CREATE TABLE risk_settings (
    tenant_id       BIGINT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_type_id BIGINT NOT NULL,
    accepted_risk   DOUBLE PRECISION NOT NULL,
    horizon_hours   DOUBLE PRECISION NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, machine_type_id),
    FOREIGN KEY (tenant_id, machine_type_id) REFERENCES machine_types (tenant_id, id) ON DELETE CASCADE
);
