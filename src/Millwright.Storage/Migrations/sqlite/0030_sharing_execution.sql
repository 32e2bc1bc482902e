-- Shared manufacturing, part two (issue 16): what happens after the award. The provider's delivery events the
-- buyer follows, the invoice-ready record each side keeps of a completed shared job, and the files a buyer attaches
-- to a request. Each row belongs to one tenant; a delivery event also names the buyer it is addressed to.

-- A shipment or a receipt of a shared job's parts, recorded by the provider.
CREATE TABLE sharing_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,  -- the provider
    buyer_tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    bid_id          INTEGER NOT NULL REFERENCES sharing_bids (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('shipped', 'delivered')),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    reference       TEXT,               -- carrier, tracking number, delivery note
    recorded_at     INTEGER NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX sharing_deliveries_by_bid ON sharing_deliveries (bid_id, id);

-- One side's invoice-ready record of a completed shared job: the provider's receivable, the buyer's payable.
CREATE TABLE sharing_invoices (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    bid_id          INTEGER NOT NULL REFERENCES sharing_bids (id) ON DELETE CASCADE,
    side            TEXT    NOT NULL CHECK (side IN ('receivable', 'payable')),
    counterpart     TEXT    NOT NULL,   -- the other tenant's name when the job completed
    title           TEXT    NOT NULL,
    quantity        INTEGER NOT NULL,
    good            INTEGER NOT NULL,
    scrap           INTEGER NOT NULL,
    quoted_hours    REAL    NOT NULL,
    hours           REAL    NOT NULL,   -- machine hours the provider's jobs took
    price           REAL    NOT NULL,   -- agreed in the accepted (or countered) bid
    amount          REAL    NOT NULL,
    promised_at     INTEGER NOT NULL,
    completed_at    INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, bid_id)
);

-- A file a buyer attaches to its request (drawing, program, embroidery design), stored once its type and size passed.
CREATE TABLE sharing_files (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,  -- the buyer
    request_id      INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL,   -- drawing, program, embroidery
    content_type    TEXT    NOT NULL,   -- from the content, never from the name
    size_bytes      INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256          TEXT    NOT NULL,
    content         BLOB    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES sharing_requests (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sharing_files_by_request ON sharing_files (tenant_id, request_id, id);
