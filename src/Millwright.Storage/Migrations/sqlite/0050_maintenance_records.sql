-- Maintenance records (issue 21, docs/predictive-maintenance.md): an operator's word that a machine's wearing part was
-- renewed, either by maintenance carried out in a planned stop (kind 'maintenance', planned_stop_from names the stop in
-- the site calendar when it was one) or by the repair of a breakdown (kind 'repair', breakdown_state_id is the machine's
-- down interval). The failure-risk estimate restarts the part's degradation at done_at. Times are Unix milliseconds.
CREATE TABLE maintenance_records (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id         INTEGER NOT NULL,
    kind               TEXT    NOT NULL CHECK (kind IN ('maintenance', 'repair')),
    done_at            INTEGER NOT NULL,
    planned_stop_from  INTEGER,
    breakdown_state_id INTEGER,
    note               TEXT,
    recorded_by        TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    CHECK (kind = 'repair' OR breakdown_state_id IS NULL),
    CHECK (kind = 'maintenance' OR planned_stop_from IS NULL),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX maintenance_records_by_machine ON maintenance_records (tenant_id, machine_id, done_at);
-- A planned stop is confirmed once, a breakdown's repair recorded once.
CREATE UNIQUE INDEX maintenance_records_one_per_stop ON maintenance_records (tenant_id, machine_id, planned_stop_from);
CREATE UNIQUE INDEX maintenance_records_one_per_breakdown ON maintenance_records (tenant_id, breakdown_state_id);
