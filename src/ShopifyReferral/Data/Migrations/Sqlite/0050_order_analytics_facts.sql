-- Issue 14: every analytics query recomputed, per order, whether it counts (not a test, not cancelled, has a
-- time), whether it is referred (a referral that was not rejected exists for it) and its revenue in minor units,
-- joining referrals for each row. They are kept on the order row instead, written in the same transaction as the
-- order or referral change that moves them (Analytics/OrderAnalyticsFacts.cs), and backfilled here for existing rows.
ALTER TABLE orders ADD COLUMN counted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN referred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN revenue_minor INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET
    counted = CASE WHEN test = 0 AND cancelled = 0 AND created_at IS NOT NULL THEN 1 ELSE 0 END,
    referred = CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected') THEN 1 ELSE 0 END,
    revenue_minor = COALESCE(discounted_subtotal_minor, subtotal_minor, 0);
-- Covering indexes: the period queries read a time range, the customer query reads per customer; neither touches
-- the table. The currency one answers MAX(currency) without a scan.
CREATE INDEX ix_orders_analytics_time ON orders (shop, counted, created_at, customer_id, referred, revenue_minor);
CREATE INDEX ix_orders_analytics_customer ON orders (shop, counted, customer_id, created_at, referred, revenue_minor);
CREATE INDEX ix_orders_currency ON orders (shop, currency);
