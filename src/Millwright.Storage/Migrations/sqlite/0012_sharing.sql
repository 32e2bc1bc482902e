-- Shared manufacturing (issue 16): offers of idle machine hours, buyers' requests, bids and awards, and the
-- bookings that keep an idle window from being sold twice. Rows belong to the tenant that made them; a bid
-- also names the provider it is addressed to, and a booking belongs to the provider whose machine it holds.

-- A machine a provider shares, with what it can do and on what terms. Location is the machine's site, copied at
-- publication. One active offer per machine, so that locking the offer row serialises the machine's awards.
CREATE TABLE sharing_offers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    machine_id      INTEGER NOT NULL,
    site_id         INTEGER NOT NULL,
    processes       TEXT    NOT NULL,   -- JSON array of capability names
    materials       TEXT    NOT NULL,   -- JSON array of {name, pricePerKg}
    envelope_x_mm   REAL    NOT NULL CHECK (envelope_x_mm > 0),
    envelope_y_mm   REAL    NOT NULL CHECK (envelope_y_mm > 0),
    envelope_z_mm   REAL    NOT NULL CHECK (envelope_z_mm > 0),
    tolerance_mm    REAL    NOT NULL CHECK (tolerance_mm > 0),
    certifications  TEXT    NOT NULL,   -- JSON array of names
    hourly_rate     REAL    NOT NULL CHECK (hourly_rate > 0),
    minimum_charge  REAL    NOT NULL CHECK (minimum_charge >= 0),
    transport_per_km REAL   NOT NULL CHECK (transport_per_km >= 0),
    margin_percent  REAL    NOT NULL CHECK (margin_percent >= 0),
    latitude        REAL    NOT NULL,
    longitude       REAL    NOT NULL,
    horizon_days    INTEGER NOT NULL CHECK (horizon_days > 0),
    reserve_minutes INTEGER NOT NULL CHECK (reserve_minutes >= 0),
    status          TEXT    NOT NULL CHECK (status IN ('active', 'cancelled')),
    awards          INTEGER NOT NULL DEFAULT 0,  -- bumped by every award: the row lock that serialises them
    created_at      INTEGER NOT NULL,
    cancelled_at    INTEGER,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, machine_id) REFERENCES machines (tenant_id, id),
    FOREIGN KEY (tenant_id, site_id) REFERENCES sites (tenant_id, id)
);
CREATE UNIQUE INDEX sharing_offers_one_active ON sharing_offers (tenant_id, machine_id) WHERE status = 'active';
CREATE INDEX sharing_offers_active ON sharing_offers (status, tenant_id);

-- A job a buyer wants made elsewhere.
CREATE TABLE sharing_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    steps           TEXT    NOT NULL,   -- JSON array of {process, setupMinutes, unitSeconds}
    material        TEXT    NOT NULL,
    part_mass_kg    REAL    NOT NULL CHECK (part_mass_kg >= 0),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    tolerance_mm    REAL    NOT NULL CHECK (tolerance_mm > 0),
    size_x_mm       REAL    NOT NULL CHECK (size_x_mm > 0),
    size_y_mm       REAL    NOT NULL CHECK (size_y_mm > 0),
    size_z_mm       REAL    NOT NULL CHECK (size_z_mm > 0),
    certifications  TEXT    NOT NULL,
    due_at          INTEGER NOT NULL,
    budget          REAL    NOT NULL CHECK (budget > 0),
    max_distance_km REAL    NOT NULL CHECK (max_distance_km > 0),
    latitude        REAL    NOT NULL,
    longitude       REAL    NOT NULL,
    response_hours  INTEGER NOT NULL CHECK (response_hours > 0),
    status          TEXT    NOT NULL CHECK (status IN ('open', 'awarded', 'cancelled')),
    created_at      INTEGER NOT NULL,
    awarded_at      INTEGER,
    UNIQUE (tenant_id, id)
);
CREATE INDEX sharing_requests_open ON sharing_requests (status, tenant_id);

-- A buyer's quote request to one offer, the provider's answer, and, once awarded, the shared job itself.
CREATE TABLE sharing_bids (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,  -- the buyer
    request_id         INTEGER NOT NULL,
    provider_tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    offer_id           INTEGER NOT NULL,
    price              REAL    NOT NULL,
    hours              REAL    NOT NULL,
    confidence         REAL    NOT NULL,
    distance_km        REAL    NOT NULL,
    windows            TEXT    NOT NULL,   -- JSON array of [start, end] Unix ms on the offered machine
    start_at           INTEGER NOT NULL,
    end_at             INTEGER NOT NULL,   -- the machine work ends
    delivery_at        INTEGER NOT NULL,   -- end plus transport
    breakdown          TEXT    NOT NULL,   -- the quote's parts, JSON
    respond_by         INTEGER NOT NULL,
    status             TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'countered', 'declined', 'awarded', 'closed')),
    counter_price      REAL,
    note               TEXT,
    responded_at       INTEGER,
    awarded_at         INTEGER,
    order_id           INTEGER,            -- the provider's external order, once awarded
    rating             INTEGER,
    quality_passed     INTEGER,
    on_time            INTEGER,
    rated_at           INTEGER,
    created_at         INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES sharing_requests (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (provider_tenant_id, offer_id) REFERENCES sharing_offers (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX sharing_bids_one_award ON sharing_bids (tenant_id, request_id) WHERE status = 'awarded';
CREATE UNIQUE INDEX sharing_bids_one_per_offer ON sharing_bids (tenant_id, request_id, offer_id);
CREATE INDEX sharing_bids_by_provider ON sharing_bids (provider_tenant_id, status);

-- Machine time an award holds: subtracted from the offer's idle windows so that it is never sold twice.
CREATE TABLE sharing_bookings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,  -- the provider
    offer_id    INTEGER NOT NULL,
    machine_id  INTEGER NOT NULL,
    bid_id      INTEGER NOT NULL REFERENCES sharing_bids (id) ON DELETE CASCADE,
    start_at    INTEGER NOT NULL,
    end_at      INTEGER NOT NULL CHECK (end_at > start_at),
    FOREIGN KEY (tenant_id, offer_id) REFERENCES sharing_offers (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sharing_bookings_by_machine ON sharing_bookings (tenant_id, machine_id, end_at);
