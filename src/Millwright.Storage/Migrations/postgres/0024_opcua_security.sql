-- Connectivity II, OPC UA security (docs/opcua.md, "Security"): the policy a machine's OPC UA connection uses
-- (None or Basic256Sha256) and, with Basic256Sha256, its message security mode (Sign or SignAndEncrypt).
-- The certificates themselves live in files under the data directory (opcua/tenants/ID: own, trusted, rejected).
ALTER TABLE opcua_connections ADD COLUMN security TEXT NOT NULL DEFAULT 'None';
ALTER TABLE opcua_connections ADD COLUMN security_mode TEXT NOT NULL DEFAULT 'SignAndEncrypt';
