-- Cluster mode (issue 22): the MQTT brokers' retained messages kept cluster-wide (see the PostgreSQL migration).
-- SQLite is one node's store and never uses it; the table is here so that both stores have the same schema.
CREATE TABLE mqtt_retained (
    cluster TEXT NOT NULL,
    topic TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message BLOB,
    account TEXT,
    expires_at INTEGER,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (cluster, topic)
);
CREATE INDEX mqtt_retained_changes ON mqtt_retained (cluster, seq);
