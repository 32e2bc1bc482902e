-- Cluster mode (issue 22) runs only on PostgreSQL: `serve --cluster` refuses SQLite, which is one node's file.
-- The same tables exist here so that both stores keep one migration list and one schema shape.
CREATE TABLE cluster_nodes (
    cluster       TEXT    NOT NULL,
    node_id       TEXT    NOT NULL,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    left_at       INTEGER NULL,
    PRIMARY KEY (cluster, node_id)
);

CREATE TABLE cluster_leases (
    cluster     TEXT    NOT NULL,
    bucket      INTEGER NOT NULL CHECK (bucket >= 0),
    owner       TEXT    NULL,
    token       INTEGER NOT NULL DEFAULT 0,
    expires_at  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cluster, bucket)
);

CREATE TABLE cluster_handovers (
    id         INTEGER PRIMARY KEY,
    cluster    TEXT    NOT NULL,
    bucket     INTEGER NOT NULL,
    from_node  TEXT    NULL,
    to_node    TEXT    NULL,
    token      INTEGER NOT NULL,
    reason     TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX cluster_handovers_by_cluster ON cluster_handovers (cluster, id);
