-- See the SQLite twin for the reasoning.
DROP INDEX ix_referrals_referrer ON referrals;
CREATE INDEX ix_referrals_referrer ON referrals (referrer_id, status, paid_at);
CREATE INDEX ix_orders_browser_ip ON orders (shop, browser_ip, created_at);
DROP INDEX ix_orders_customer ON orders;
CREATE INDEX ix_orders_customer ON orders (shop, customer_id, created_at);
DROP INDEX ix_orders_email_key ON orders;
CREATE INDEX ix_orders_email_key ON orders (shop, email_key, created_at);
