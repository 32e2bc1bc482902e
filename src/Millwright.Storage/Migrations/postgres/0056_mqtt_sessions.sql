-- Cluster mode (issue 22): persistent MQTT sessions kept by the cluster, not by one node, so that a client resuming
-- its session on another node (also after its node died) finds its subscriptions. One row per session: the node
-- holding its connection (NULL while the client is away), the claim's generation (every claim takes the next one, and
-- a node writes the row only under the generation it claimed), the subscriptions as JSON, the durable RabbitMQ queue
-- that collects its messages, its expiry and when its client went away (Unix ms).
CREATE TABLE mqtt_sessions (
    cluster TEXT NOT NULL,
    session_key TEXT NOT NULL,
    account TEXT,
    node TEXT,
    generation BIGINT NOT NULL,
    queue TEXT NOT NULL,
    subscriptions TEXT NOT NULL,
    expiry_seconds BIGINT NOT NULL,
    disconnected_at BIGINT,
    PRIMARY KEY (cluster, session_key)
);
CREATE INDEX mqtt_sessions_account ON mqtt_sessions (cluster, account);
CREATE SEQUENCE mqtt_sessions_generation;
