-- Embroidery (issue 15): customers' designs digitized into stitch files, and the orders made from them.

-- Stitch files and uploaded sources, named by the SHA-256 of their bytes: a file uploaded or produced twice is
-- stored once per tenant. Not shared across tenants, so no tenant can learn that another holds a file.
CREATE TABLE embroidery_files (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sha256      TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, sha256)
);

CREATE TABLE embroidery_designs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    fabric          TEXT    NOT NULL,
    source_sha256   TEXT    NOT NULL,
    dst_sha256      TEXT    NOT NULL,
    width_mm        REAL    NOT NULL,
    height_mm       REAL    NOT NULL,
    stitches        INTEGER NOT NULL,
    colour_changes  INTEGER NOT NULL,
    trims           INTEGER NOT NULL,
    jumps           INTEGER NOT NULL,
    threads         TEXT    NOT NULL,    -- JSON array of "#rrggbb", in sewing order
    run_seconds     INTEGER NOT NULL,
    warnings        TEXT,                -- JSON array of SVG features not embroidered
    created_by      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, source_sha256) REFERENCES embroidery_files (tenant_id, sha256),
    FOREIGN KEY (tenant_id, dst_sha256) REFERENCES embroidery_files (tenant_id, sha256)
);

-- Which production order was taken for which design: the customized order's lead time runs from the upload.
CREATE TABLE embroidery_orders (
    tenant_id   INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    design_id   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, design_id) REFERENCES embroidery_designs (tenant_id, id)
);
CREATE INDEX embroidery_orders_design ON embroidery_orders (tenant_id, design_id);
