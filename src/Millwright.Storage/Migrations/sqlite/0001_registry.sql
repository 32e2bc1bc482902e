-- The equipment registry after ISA-95: tenant -> site -> area -> line -> machine.
-- Every child carries its tenant and refers to its parent by (tenant_id, id), so the database itself
-- refuses a reference that crosses tenants. Times are Unix milliseconds (UTC).

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER REFERENCES tenants (id) ON DELETE CASCADE,
    public_id   TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('platform_admin', 'tenant_admin', 'operator', 'viewer')),
    secret_hash TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    revoked_at  INTEGER,
    CHECK ((role = 'platform_admin') = (tenant_id IS NULL))
);

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    time_zone   TEXT    NOT NULL,
    latitude    REAL,
    longitude   REAL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE areas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    site_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (site_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
CREATE INDEX areas_by_site ON areas (tenant_id, site_id);

CREATE TABLE lines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (area_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, area_id) REFERENCES areas (tenant_id, id)
);
CREATE INDEX lines_by_area ON lines (tenant_id, area_id);

CREATE TABLE machine_types (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    description TEXT,
    tags        TEXT    NOT NULL,  -- JSON array of tag definitions, validated by the API
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

CREATE TABLE machines (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    line_id     INTEGER NOT NULL,
    type_id     INTEGER NOT NULL,
    name        TEXT    NOT NULL,  -- the device id in topics: mw/{tenant}/{machine}/...
    description TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, line_id) REFERENCES lines (tenant_id, id),
    FOREIGN KEY (tenant_id, type_id) REFERENCES machine_types (tenant_id, id)
);
CREATE INDEX machines_by_line ON machines (tenant_id, line_id);
CREATE INDEX machines_by_type ON machines (tenant_id, type_id);

CREATE TABLE device_credentials (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    username    TEXT    NOT NULL UNIQUE,
    secret_hash TEXT    NOT NULL,  -- pbkdf2-sha256$iterations$salt$hash, base64
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX device_credentials_by_machine ON device_credentials (tenant_id, machine_id);

-- No foreign key to tenants: the history outlives what it describes.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    entity_id   INTEGER,
    summary     TEXT    NOT NULL
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, id);
