-- Fleet (issue 17): the machines that are mobile equipment, with the identity ISO 15143-3 (AEMP 2.0) puts in
-- every equipment header. The element values themselves are telemetry (docs/fleet.md lists which tag feeds
-- which element), so nothing else about a machine's state is stored here.
CREATE TABLE fleet_equipment (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id    INTEGER NOT NULL,
    oem_name      TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    serial_number TEXT    NOT NULL,
    pin           TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
