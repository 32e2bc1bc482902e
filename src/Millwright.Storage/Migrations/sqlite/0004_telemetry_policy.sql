-- What telemetry does with values a machine type does not expect: 'reject' the message, or 'flag' and store it.
ALTER TABLE machine_types ADD COLUMN unknown_tags TEXT NOT NULL DEFAULT 'flag';
ALTER TABLE machine_types ADD COLUMN invalid_values TEXT NOT NULL DEFAULT 'flag';

-- Flagged telemetry, one row per machine, tag and reason: a count and the latest example, so a device that
-- keeps sending a bad value costs one row, not one per message.
CREATE TABLE telemetry_flags (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    tag         TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    count       INTEGER NOT NULL,
    first_at    INTEGER NOT NULL,
    last_at     INTEGER NOT NULL,
    last_value  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, machine_id, tag, reason),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
