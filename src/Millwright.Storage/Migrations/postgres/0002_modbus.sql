-- How the platform polls a machine over Modbus TCP: its address and register map (JSON, validated by the API).
CREATE TABLE modbus_connections (
    tenant_id   BIGINT  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  BIGINT  NOT NULL,
    host        TEXT    NOT NULL,
    port        BIGINT  NOT NULL,
    unit_id     BIGINT  NOT NULL,
    interval_ms BIGINT  NOT NULL,
    timeout_ms  BIGINT  NOT NULL,
    points      TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
