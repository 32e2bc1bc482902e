-- A tenant's trusted OPC UA certificate authorities (issue 19, docs/opcua.md "A tenant's trusted CAs"): CA certificates
-- uploaded over REST whose issued server certificates the tenant's own OPC UA links trust, beside the files of the
-- tenant's PKI folder. der is the certificate as uploaded (DER); sha256 its thumbprint in upper-case hex. Times are Unix
-- milliseconds.
CREATE TABLE opcua_trusted_cas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    subject     TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    not_before  INTEGER NOT NULL,
    not_after   INTEGER NOT NULL,
    der         BLOB    NOT NULL,
    added_by    TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
-- A CA is trusted once per tenant.
CREATE UNIQUE INDEX opcua_trusted_cas_once ON opcua_trusted_cas (tenant_id, sha256);
