-- Cluster mode (issue 22): node membership and single-owner machine ownership with fencing tokens.
-- Platform-wide rows, not per tenant: they say which node serves which machines, whoever the tenant is.
-- Times are Unix milliseconds of the nodes' clocks (docs/cluster.md: clock skew must stay well under the lease).
CREATE TABLE cluster_nodes (
    cluster       TEXT   NOT NULL,
    node_id       TEXT   NOT NULL,
    started_at    BIGINT NOT NULL,
    heartbeat_at  BIGINT NOT NULL,
    left_at       BIGINT NULL,
    PRIMARY KEY (cluster, node_id)
);

-- One lease per ownership bucket (machines hash into a fixed number of buckets). token only ever grows: every
-- new holder gets a larger one, so a write that checks its token is refused once anyone else took the bucket.
CREATE TABLE cluster_leases (
    cluster     TEXT    NOT NULL,
    bucket      INTEGER NOT NULL CHECK (bucket >= 0),
    owner       TEXT    NULL,
    token       BIGINT  NOT NULL DEFAULT 0,
    expires_at  BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (cluster, bucket)
);

-- Every hand-over, written in the transaction that made it.
CREATE TABLE cluster_handovers (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cluster    TEXT    NOT NULL,
    bucket     INTEGER NOT NULL,
    from_node  TEXT    NULL,
    to_node    TEXT    NULL,
    token      BIGINT  NOT NULL,
    reason     TEXT    NOT NULL,
    at         BIGINT  NOT NULL
);
CREATE INDEX cluster_handovers_by_cluster ON cluster_handovers (cluster, id);
