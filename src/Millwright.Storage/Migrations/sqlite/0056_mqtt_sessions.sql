-- Cluster mode (issue 22): persistent MQTT sessions kept cluster-wide (see the PostgreSQL migration). SQLite is one
-- node's store and never uses it; the table is here so that both stores have the same schema.
CREATE TABLE mqtt_sessions (
    cluster TEXT NOT NULL,
    session_key TEXT NOT NULL,
    account TEXT,
    node TEXT,
    generation INTEGER NOT NULL,
    queue TEXT NOT NULL,
    subscriptions TEXT NOT NULL,
    expiry_seconds INTEGER NOT NULL,
    disconnected_at INTEGER,
    PRIMARY KEY (cluster, session_key)
);
CREATE INDEX mqtt_sessions_account ON mqtt_sessions (cluster, account);
