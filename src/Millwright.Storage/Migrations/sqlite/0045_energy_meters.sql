-- Connectivity II, energy (docs/energy.md): which meter measures a machine. The meter is itself a machine (a Modbus,
-- OPC UA or MQTT power meter) whose counter tag totals energy; unit converts that counter to kWh. A machine without a
-- row is measured by its own type's energy counter (state rules' energyCounter), read as kWh.
CREATE TABLE energy_meters (
    tenant_id        INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id       INTEGER NOT NULL,
    meter_machine_id INTEGER NOT NULL,
    counter_tag      TEXT    NOT NULL,
    unit             TEXT    NOT NULL,
    updated_at       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, meter_machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX energy_meters_meter ON energy_meters (tenant_id, meter_machine_id);
