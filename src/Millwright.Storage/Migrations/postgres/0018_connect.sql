-- Connectivity II, commands over every protocol. A Modbus machine's command map (docs/modbus.md, "Commands"):
-- which holding registers a command's members and its type's code are written to, and where the machine answers.
-- JSON, validated by the API; NULL when the machine takes no commands over Modbus.
ALTER TABLE modbus_connections ADD COLUMN commands TEXT;

-- OPC UA machines (docs/opcua.md, "Machines"): the server the platform subscribes to for a machine and the node
-- map (JSON: node id, tag, sampling interval, deadband), validated by the API.
CREATE TABLE opcua_connections (
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id    BIGINT  NOT NULL,
    endpoint      TEXT    NOT NULL,
    publishing_ms BIGINT  NOT NULL,
    nodes         TEXT    NOT NULL,
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
