-- Fleet (issue 17): the machines that are mobile equipment, with the identity ISO 15143-3 (AEMP 2.0) puts in
-- every equipment header. The element values themselves are telemetry (docs/fleet.md lists which tag feeds
-- which element), so nothing else about a machine's state is stored here.
CREATE TABLE fleet_equipment (
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id    BIGINT  NOT NULL,
    oem_name      TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    serial_number TEXT    NOT NULL,
    pin           TEXT,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, machine_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
