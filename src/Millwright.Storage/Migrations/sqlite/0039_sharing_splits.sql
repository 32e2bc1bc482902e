-- Shared manufacturing, part three (issue 16): a multi-step request split across providers is awarded as a whole.
-- A split is the buyer's plan (one row); each of its legs is an ordinary bid to the leg's provider, marked with the
-- split and the request's step it covers. "One award per request" becomes one award per leg.

-- A buyer's split plan of a request: its legs are the bids that name it.
CREATE TABLE sharing_splits (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,  -- the buyer
    request_id      INTEGER NOT NULL,
    legs            INTEGER NOT NULL CHECK (legs > 0),
    delivery_at     INTEGER NOT NULL,   -- the last leg's parts at the buyer
    price           REAL    NOT NULL,   -- the legs' quoted prices together
    created_at      INTEGER NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES sharing_requests (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sharing_splits_by_request ON sharing_splits (tenant_id, request_id, id);

-- A leg's bid: the split it belongs to and the request's step (0-based) it covers; both NULL for a whole-request bid.
ALTER TABLE sharing_bids ADD COLUMN split_id INTEGER REFERENCES sharing_splits (id) ON DELETE CASCADE;
ALTER TABLE sharing_bids ADD COLUMN leg INTEGER;

-- One award per leg (a whole-request award counts as leg -1): a second award of the same step is refused.
DROP INDEX sharing_bids_one_award;
CREATE UNIQUE INDEX sharing_bids_one_award_per_leg ON sharing_bids (tenant_id, request_id, COALESCE(leg, -1)) WHERE status = 'awarded';

-- A whole-request bid asks an offer once per request; a split has one bid per leg, and one offer may serve two legs.
DROP INDEX sharing_bids_one_per_offer;
CREATE UNIQUE INDEX sharing_bids_one_whole_per_offer ON sharing_bids (tenant_id, request_id, offer_id) WHERE split_id IS NULL;
CREATE UNIQUE INDEX sharing_bids_one_per_leg ON sharing_bids (split_id, leg) WHERE split_id IS NOT NULL;
