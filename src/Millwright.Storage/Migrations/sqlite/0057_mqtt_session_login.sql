-- Cluster mode (issue 22): the login a kept session's client was let in under (see the PostgreSQL migration). SQLite
-- is one node's store and never uses it; the column is here so that both stores have the same schema.
ALTER TABLE mqtt_sessions ADD COLUMN login TEXT;
