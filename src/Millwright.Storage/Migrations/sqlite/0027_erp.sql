-- ERP interfaces (issue 20): the ERP's own order number on orders it sent, so a second import of the same order
-- finds it instead of creating it again. NULL for orders taken in Millwright; several NULLs do not collide.
ALTER TABLE orders ADD COLUMN erp_number TEXT;
CREATE UNIQUE INDEX orders_by_erp_number ON orders (tenant_id, erp_number);
