-- Fleet dispatch (issue 17): a machine that an accepted re-plan moves off a request it was dispatched to is told
-- so by a fleet.release command. One row per release: the plan whose acceptance sent it, the request and the
-- machine released, the assignment whose dispatch it undoes, and the command's state (sent, acknowledged by the
-- machine, failed: refused by the port, by the machine or timed out), as a dispatch has. Times are Unix milliseconds.
CREATE TABLE fleet_plan_releases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan_id         INTEGER NOT NULL,
    request_id      INTEGER NOT NULL,
    machine_id      INTEGER NOT NULL,
    released_of     INTEGER NOT NULL,
    dispatch_status TEXT    NOT NULL CHECK (dispatch_status IN ('sent', 'acknowledged', 'failed')),
    dispatch_detail TEXT,
    dispatched_at   INTEGER NOT NULL,
    answered_at     INTEGER,
    FOREIGN KEY (tenant_id, plan_id) REFERENCES fleet_allocation_plans (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, request_id) REFERENCES fleet_site_requests (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX fleet_plan_releases_by_plan ON fleet_plan_releases (tenant_id, plan_id);
CREATE INDEX fleet_plan_releases_awaiting ON fleet_plan_releases (dispatched_at) WHERE dispatch_status = 'sent';
