-- Cluster mode (issue 22): the MQTT brokers' retained messages, kept in the cluster's database so that every node
-- holds the same ones and a node that starts later (or after another died) has them. One row per topic: the message
-- as one MQTT 5.0 PUBLISH, or NULL once cleared (a tombstone, so a node reading the changes since its mark sees the
-- clearing; dropped after an hour). seq comes from one sequence taken under a per-cluster advisory lock, so the order
-- of seq is the order of commits and "seq > mark" never skips a change that commits late.
CREATE TABLE mqtt_retained (
    cluster TEXT NOT NULL,
    topic TEXT NOT NULL,
    seq BIGINT NOT NULL,
    message BYTEA,
    account TEXT,
    expires_at BIGINT,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (cluster, topic)
);
CREATE INDEX mqtt_retained_changes ON mqtt_retained (cluster, seq);
CREATE SEQUENCE mqtt_retained_seq;
