-- Scheduling II (issue 20): what each re-plan changed. One row per re-plan that moved a job, changed an order's
-- problem or had a reason other than the periodic re-plan; the moved jobs are a JSON array (at most 500 kept).
CREATE TABLE plan_revisions (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    planned_at         INTEGER NOT NULL,  -- Unix ms
    reason             TEXT    NOT NULL,
    jobs               INTEGER NOT NULL,  -- jobs in the plan
    frozen             INTEGER NOT NULL,  -- of those, kept in place by the frozen horizon
    moved              INTEGER NOT NULL,  -- waiting jobs moved to another machine or by more than the shift tolerance
    weighted_tardiness INTEGER NOT NULL,  -- seconds × priority
    change_penalty     INTEGER NOT NULL,  -- what the moves cost in the objective, same unit
    moves              TEXT    NOT NULL   -- JSON array of the moved jobs
);
CREATE INDEX plan_revisions_by_time ON plan_revisions (tenant_id, planned_at);
