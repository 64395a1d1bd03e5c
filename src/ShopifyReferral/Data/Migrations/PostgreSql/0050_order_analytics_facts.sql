-- See the SQLite twin for the reasoning.
ALTER TABLE orders ADD COLUMN counted SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN referred SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN revenue_minor BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET
    counted = CASE WHEN test = 0 AND cancelled = 0 AND created_at IS NOT NULL THEN 1 ELSE 0 END,
    referred = CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected') THEN 1 ELSE 0 END,
    revenue_minor = COALESCE(discounted_subtotal_minor, subtotal_minor, 0);
CREATE INDEX ix_orders_analytics_time ON orders (shop, counted, created_at, customer_id, referred, revenue_minor);
CREATE INDEX ix_orders_analytics_customer ON orders (shop, counted, customer_id, created_at, referred, revenue_minor);
CREATE INDEX ix_orders_currency ON orders (shop, currency);
