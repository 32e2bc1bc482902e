-- Makerspace (issue 18): ideas, threaded comments, votes, follows, attachments, moderation and external participants.

-- A new key role, participant (an outside person admitted to a tenant's makerspace). SQLite cannot change a
-- CHECK in place, so the table is rebuilt with the same columns and rows; nothing referenced it before this.
CREATE TABLE api_keys_next (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER REFERENCES tenants (id) ON DELETE CASCADE,
    public_id   TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('platform_admin', 'tenant_admin', 'operator', 'viewer', 'participant')),
    secret_hash TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    revoked_at  INTEGER,
    CHECK ((role = 'platform_admin') = (tenant_id IS NULL))
);
INSERT INTO api_keys_next (id, tenant_id, public_id, name, role, secret_hash, created_at, created_by, revoked_at)
SELECT id, tenant_id, public_id, name, role, secret_hash, created_at, created_by, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_next RENAME TO api_keys;

-- Whether the tenant lets registered external participants in (absent row: closed).
CREATE TABLE makerspace_settings (
    tenant_id         INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    open_to_external  INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

-- An outside person the tenant admitted: one participant key each (api_keys.role = 'participant').
CREATE TABLE makerspace_participants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL REFERENCES api_keys (id),
    name        TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, email),
    UNIQUE (key_id)
);

CREATE TABLE ideas (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL,
    product_family  TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('submitted', 'under_review', 'accepted', 'declined')),
    decision_reason TEXT,
    project         TEXT,                -- the project an accepted idea became
    author_key_id   INTEGER NOT NULL,
    author_name     TEXT    NOT NULL,
    author_external INTEGER NOT NULL,
    votes           INTEGER NOT NULL DEFAULT 0,
    comments        INTEGER NOT NULL DEFAULT 0,
    followers       INTEGER NOT NULL DEFAULT 0,
    hidden_reason   TEXT,                -- set while a moderator hides it
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,    -- strictly increases on every change: the search index's fingerprint
    decided_at      INTEGER,
    UNIQUE (tenant_id, id)
);
CREATE INDEX ideas_by_status ON ideas (tenant_id, status);

CREATE TABLE idea_tags (
    tenant_id  INTEGER NOT NULL,
    idea_id    INTEGER NOT NULL,
    tag        TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, idea_id, tag),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idea_tags_by_tag ON idea_tags (tenant_id, tag);

-- Threaded: a reply names its parent comment of the same idea.
CREATE TABLE idea_comments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL,
    idea_id         INTEGER NOT NULL,
    parent_id       INTEGER,
    author_key_id   INTEGER NOT NULL,
    author_name     TEXT    NOT NULL,
    author_external INTEGER NOT NULL,
    body            TEXT    NOT NULL,
    hidden_reason   TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, parent_id) REFERENCES idea_comments (tenant_id, id)
);
CREATE INDEX idea_comments_by_idea ON idea_comments (tenant_id, idea_id, id);

CREATE TABLE idea_votes (
    tenant_id   INTEGER NOT NULL,
    idea_id     INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idea_id, key_id),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE idea_followers (
    tenant_id   INTEGER NOT NULL,
    idea_id     INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idea_id, key_id),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idea_followers_by_key ON idea_followers (tenant_id, key_id);

-- Content addressed: the SHA-256 of the bytes names an attachment within its idea.
CREATE TABLE idea_attachments (
    tenant_id     INTEGER NOT NULL,
    idea_id       INTEGER NOT NULL,
    sha256        TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    data          BLOB    NOT NULL,
    added_by      TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idea_id, sha256),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE idea_reports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL,
    idea_id         INTEGER NOT NULL,
    comment_id      INTEGER,
    reason          TEXT    NOT NULL,
    reporter_key_id INTEGER NOT NULL,
    reporter_name   TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    resolved_at     INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idea_reports_open ON idea_reports (tenant_id, resolved_at);

-- A key banned from contributing to the tenant's makerspace (it may still read).
CREATE TABLE makerspace_bans (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_id      INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    banned_by   TEXT    NOT NULL,
    banned_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key_id)
);

-- Who contributed to an idea, frozen when it is accepted (for reward).
CREATE TABLE idea_contributors (
    tenant_id      INTEGER NOT NULL,
    idea_id        INTEGER NOT NULL,
    key_id         INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    external       INTEGER NOT NULL,
    authored       INTEGER NOT NULL,
    comments       INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, idea_id, key_id),
    FOREIGN KEY (tenant_id, idea_id) REFERENCES ideas (tenant_id, id) ON DELETE CASCADE
);
