-- Connectivity II. Per-tenant Sparkplug B host settings: whether an NBIRTH that lacks 'Node Control/Rebirth'
-- (Sparkplug 2.2-era edge nodes, Tahu's JavaScript client by default) is refused instead of accepted with a warning.
CREATE TABLE sparkplug_settings (
    tenant_id      INTEGER PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    strict_births  INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
