-- Fleet maintenance (issue 17): service intervals per maker and model (every so many operating hours, every so
-- many days, or both: whichever comes first) and the services done on each machine. Planned service visits are
-- planned stops in the machine's site calendar (site_calendars), not rows here. Times are Unix milliseconds.
CREATE TABLE fleet_service_intervals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    oem_name    TEXT    NOT NULL,
    model       TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    every_hours REAL    CHECK (every_hours IS NULL OR every_hours > 0),
    every_days  INTEGER CHECK (every_days IS NULL OR every_days > 0),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK (every_hours IS NOT NULL OR every_days IS NOT NULL),
    UNIQUE (tenant_id, oem_name, model, name),
    UNIQUE (tenant_id, id)
);

-- operating_hours: the machine's cumulative operating hours when the service was done (the next is due from there).
CREATE TABLE fleet_services (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id      INTEGER NOT NULL,
    interval_id     INTEGER NOT NULL,
    done_at         INTEGER NOT NULL,
    operating_hours REAL    NOT NULL CHECK (operating_hours >= 0),
    note            TEXT,
    created_at      INTEGER NOT NULL,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, interval_id) REFERENCES fleet_service_intervals (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_services_by_machine ON fleet_services (tenant_id, machine_id, interval_id, done_at);
