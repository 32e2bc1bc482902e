-- Made-to-measure (issue 14): a tenant's customers with their measurements, the pattern files drafted for them,
-- and which production order was taken for which made-to-measure garment.

-- A customer's body: what was measured (given) and the full body completed by inference, both JSON objects of
-- ANSUR II names to mm. The population the inference draws on is platform-wide reference data, not stored here.
CREATE TABLE tailoring_customers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    sex             TEXT    NOT NULL,
    given           TEXT    NOT NULL,
    completed       TEXT    NOT NULL,
    warnings        TEXT,                -- JSON array of plausibility warnings
    created_by      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id)
);

-- Pattern files (DXF, marker, SVG) named by the SHA-256 of their bytes, stored once per tenant. Not shared across
-- tenants, so no tenant can learn that another holds a file.
CREATE TABLE tailoring_files (
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    sha256      TEXT    NOT NULL,
    media_type  TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, sha256)
);

-- One made-to-measure garment per production order: the body it was drafted for, size, alterations and files.
CREATE TABLE tailoring_orders (
    tenant_id       INTEGER NOT NULL,
    order_id        INTEGER NOT NULL,
    customer_id     INTEGER,
    garment         TEXT    NOT NULL,
    fabric          TEXT    NOT NULL,
    fabric_width_mm REAL    NOT NULL,
    sex             TEXT    NOT NULL,
    size            TEXT    NOT NULL,
    alterations     TEXT    NOT NULL,    -- JSON object: control measurement -> mm (body minus size)
    body            TEXT    NOT NULL,    -- JSON object: the measurements drafted from
    dxf_sha256      TEXT    NOT NULL,
    marker_sha256   TEXT    NOT NULL,
    svg_sha256      TEXT    NOT NULL,
    marker_svg_sha256 TEXT  NOT NULL,
    marker_length_mm REAL   NOT NULL,
    efficiency      REAL    NOT NULL,
    pieces          INTEGER NOT NULL,
    cut_length_mm   REAL    NOT NULL,
    seam_length_mm  REAL    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, order_id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, customer_id) REFERENCES tailoring_customers (tenant_id, id),
    FOREIGN KEY (tenant_id, dxf_sha256) REFERENCES tailoring_files (tenant_id, sha256),
    FOREIGN KEY (tenant_id, marker_sha256) REFERENCES tailoring_files (tenant_id, sha256)
);
CREATE INDEX tailoring_orders_customer ON tailoring_orders (tenant_id, customer_id);
