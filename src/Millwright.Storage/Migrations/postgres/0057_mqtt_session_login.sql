-- Cluster mode (issue 22): the login a kept MQTT session's client was let in under (JSON: the tenant's slug, the
-- machine and credential or the API key), so that the access watch can end a session whose client is away when
-- that login ends (a revoked key or credential, a deleted machine or tenant, a renamed tenant). NULL for rows from
-- before this column, which end at their expiry.
ALTER TABLE mqtt_sessions ADD COLUMN login TEXT;
