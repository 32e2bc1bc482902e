-- Setup families (issue 20, docs/scheduling.md "Setup families"): a tenant names its families (a colour, a
-- material, a fixture), files programs and items under them, and gives setup times between them. A job's family is
-- its program's, else its item's. The planner reads them every plan; the learned pairs come from the state history.
CREATE TABLE setup_families (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

-- The tenant's matrix: the setup a machine needs before a job of to_family after one of from_family, in ms.
CREATE TABLE setup_family_times (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    from_family TEXT    NOT NULL,
    to_family   TEXT    NOT NULL,
    setup_ms    INTEGER NOT NULL CHECK (setup_ms >= 0),
    PRIMARY KEY (tenant_id, from_family, to_family),
    FOREIGN KEY (tenant_id, from_family) REFERENCES setup_families (tenant_id, name) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, to_family) REFERENCES setup_families (tenant_id, name) ON DELETE CASCADE
);

CREATE TABLE program_setup_families (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    program    TEXT    NOT NULL,
    family     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, program),
    FOREIGN KEY (tenant_id, family) REFERENCES setup_families (tenant_id, name)
);

CREATE TABLE item_setup_families (
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    item_id    INTEGER NOT NULL,
    family     TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, item_id),
    FOREIGN KEY (tenant_id, item_id) REFERENCES inventory_items (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, family) REFERENCES setup_families (tenant_id, name)
);
