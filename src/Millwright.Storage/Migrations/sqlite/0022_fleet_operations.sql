-- Fleet operations (issue 17): job sites and depots as polygons (geofences) with their working hours, the areas
-- each machine is allowed in, the enter/leave events the geofence watcher derives from committed telemetry, and
-- the other makers' AEMP feeds a tenant imports. Times are Unix milliseconds.

-- geometry: the GeoJSON Polygon as the platform wrote it back after validation ([longitude, latitude] rings).
-- Working hours are local times of time_zone (minutes after midnight, work_to may be below work_from for a night
-- shift) on the days of work_days (bit 0 Monday .. bit 6 Sunday); NULL: the site has no after-hours rule.
CREATE TABLE fleet_geofences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('job_site', 'depot')),
    geometry   TEXT    NOT NULL,
    time_zone  TEXT    NOT NULL,
    work_from  INTEGER,
    work_to    INTEGER,
    work_days  INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

-- A machine with rows here must stay inside one of these geofences; a machine without any may go anywhere.
CREATE TABLE fleet_allowed_areas (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    geofence_id INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, machine_id, geofence_id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, geofence_id) REFERENCES fleet_geofences (tenant_id, id) ON DELETE CASCADE
);

-- at is the device time of the position report that crossed the boundary.
CREATE TABLE fleet_geofence_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id  INTEGER NOT NULL,
    geofence_id INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('enter', 'leave')),
    at          INTEGER NOT NULL,
    latitude    REAL    NOT NULL,
    longitude   REAL    NOT NULL,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, geofence_id) REFERENCES fleet_geofences (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_geofence_events_by_machine ON fleet_geofence_events (tenant_id, machine_id, at);
CREATE INDEX fleet_geofence_events_by_geofence ON fleet_geofence_events (tenant_id, geofence_id, at);

-- Other makers' ISO 15143-3 feeds a tenant imports (polled through the egress policy). Machines the feed names
-- are created on line_id with machine_type_id; interval_s 0 polls only on request. The password is kept to send
-- it (HTTP Basic) and never returned. last_error is the cause of the last failed poll (NULL after a good one).
CREATE TABLE fleet_import_sources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    url             TEXT    NOT NULL,
    username        TEXT,
    password        TEXT,
    line_id         INTEGER NOT NULL,
    machine_type_id INTEGER NOT NULL,
    interval_s      INTEGER NOT NULL,
    timeout_s       INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_error      TEXT,
    last_warnings   TEXT,
    failures        INTEGER NOT NULL,
    machines        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, line_id) REFERENCES lines (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_type_id) REFERENCES machine_types (tenant_id, id) ON DELETE CASCADE
);

-- Which platform machine a feed's machine (by serial number, else equipment id, else PIN) became.
CREATE TABLE fleet_imported_machines (
    tenant_id     INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    source_id     INTEGER NOT NULL,
    equipment_key TEXT    NOT NULL,
    machine_id    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, source_id, equipment_key),
    FOREIGN KEY (tenant_id, source_id) REFERENCES fleet_import_sources (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
