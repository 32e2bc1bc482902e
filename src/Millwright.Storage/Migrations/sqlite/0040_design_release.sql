-- Design workspace II (issue 18): projects grown from makerspace ideas, change requests and orders (ECR/ECO) with
-- reviewers by named role, and releases of revisions to manufacturing (one per revision: releasing again does nothing).

ALTER TABLE design_projects ADD COLUMN idea_id INTEGER;

-- Who may review for a named role (design, quality, manufacturing, ...) on a project: API key names.
CREATE TABLE design_reviewers (
    tenant_id    INTEGER NOT NULL,
    project_id   INTEGER NOT NULL,
    role         TEXT    NOT NULL,
    reviewer     TEXT    NOT NULL,
    assigned_at  INTEGER NOT NULL,
    assigned_by  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, project_id, role, reviewer),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE
);

-- A change request; approved by every role it names it becomes a change order, and releasing it makes a revision.
CREATE TABLE design_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL,
    project_id    INTEGER NOT NULL,
    title         TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'released')),
    roles         TEXT    NOT NULL,
    impact        TEXT    NOT NULL,
    requested_at  INTEGER NOT NULL,
    requested_by  TEXT    NOT NULL,
    decided_at    INTEGER,
    revision      INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX design_changes_by_project ON design_changes (tenant_id, project_id, status);

-- One verdict per role of a change request.
CREATE TABLE design_reviews (
    tenant_id   INTEGER NOT NULL,
    change_id   INTEGER NOT NULL,
    role        TEXT    NOT NULL,
    verdict     TEXT    NOT NULL CHECK (verdict IN ('approve', 'reject')),
    note        TEXT    NOT NULL,
    reviewer    TEXT    NOT NULL,
    reviewed_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, change_id, role),
    FOREIGN KEY (tenant_id, change_id) REFERENCES design_changes (tenant_id, id) ON DELETE CASCADE
);

-- A revision released to manufacturing: when, by whom, and what it created or updated (JSON).
CREATE TABLE design_manufacturing (
    tenant_id    INTEGER NOT NULL,
    project_id   INTEGER NOT NULL,
    revision     INTEGER NOT NULL,
    summary      TEXT    NOT NULL,
    released_at  INTEGER NOT NULL,
    released_by  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, project_id, revision),
    FOREIGN KEY (tenant_id, project_id, revision) REFERENCES design_revisions (tenant_id, project_id, number) ON DELETE CASCADE
);
