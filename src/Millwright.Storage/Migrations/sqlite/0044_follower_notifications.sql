-- Issue 18: followers of design projects, notifications to followers (of ideas and projects), and invitations with
-- which external participants register themselves for a tenant's makerspace.

CREATE TABLE design_followers (
    tenant_id   INTEGER NOT NULL,
    project_id  INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, project_id, key_id),
    FOREIGN KEY (tenant_id, project_id) REFERENCES design_projects (tenant_id, id) ON DELETE CASCADE
);

-- One row per follower and event, written in the transaction that made the event; read_at once the follower read it.
CREATE TABLE follower_notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    subject     TEXT    NOT NULL CHECK (subject IN ('idea', 'project')),
    subject_id  INTEGER NOT NULL,
    event       TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX follower_notifications_by_key ON follower_notifications (tenant_id, key_id, id);

-- A tenant-issued invitation: whoever holds the token may register as an external participant (uses times, until
-- it expires or is revoked). Only the token's SHA-256 is kept.
CREATE TABLE makerspace_invitations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash  TEXT    NOT NULL UNIQUE,
    note        TEXT    NOT NULL,
    uses        INTEGER NOT NULL,
    used        INTEGER NOT NULL DEFAULT 0,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    UNIQUE (tenant_id, id)
);

-- Reviewers of design changes are API keys by id (a key renamed, or another key given the same name, is not the
-- reviewer); rows assigned before this migration keep matching by name.
ALTER TABLE design_reviewers ADD COLUMN key_id INTEGER;
