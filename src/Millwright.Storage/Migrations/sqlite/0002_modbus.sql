-- How the platform polls a machine over Modbus TCP: its address and register map (JSON, validated by the API).
CREATE TABLE modbus_connections (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    host        TEXT    NOT NULL,
    port        INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL,
    interval_ms INTEGER NOT NULL,
    timeout_ms  INTEGER NOT NULL,
    points      TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
