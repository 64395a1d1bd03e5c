-- See the SQLite twin for the reasoning.
ALTER TABLE orders ADD COLUMN email_key TEXT NULL;
CREATE INDEX ix_orders_email_key ON orders (shop, email_key);
ALTER TABLE refunds ADD COLUMN subtotal TEXT NULL;
