-- The ERP's endpoint for completed orders (docs/erp.md): at most one per tenant. Orders completed from `since`
-- on are sent, each once, signed with the secret.
CREATE TABLE erp_webhooks (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    enabled     INTEGER NOT NULL,
    since       INTEGER NOT NULL,
    checked_through INTEGER NOT NULL,  -- orders completed before this have their deliveries (less a minute's slack)
    updated_at  INTEGER NOT NULL
);

-- One delivery per completed order, tried until the ERP answers 2xx or the attempts run out. next_at is when a
-- node may try next (NULL once delivered or given up); a node claims a try by moving it forward.
CREATE TABLE erp_deliveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    order_id     INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER,
    outcome      TEXT    NOT NULL CHECK (outcome IN ('pending', 'delivered', 'failed')),
    status_code  INTEGER,
    error        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (tenant_id, order_id),
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX erp_deliveries_due ON erp_deliveries (tenant_id, next_at);
CREATE INDEX orders_by_completion ON orders (tenant_id, completed_at);
