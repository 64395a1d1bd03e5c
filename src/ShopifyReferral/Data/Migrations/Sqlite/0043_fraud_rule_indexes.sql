-- The velocity and yearly-cap rules run on every referred order; without these they read every referral of the
-- referrer, so a busy referrer's orders got slower with each one.
-- Cap: the referrer's counted referrals paid within the year, a range per counted status. It replaces
-- (referrer_id, status), which is its prefix, so referral writes keep one index here, not two.
DROP INDEX ix_referrals_referrer;
CREATE INDEX ix_referrals_referrer ON referrals (referrer_id, status, paid_at);

-- Velocity: the orders from one IP address within the last day, each joined to its referral by its key; the
-- cost follows that IP's orders of the day, not the referrer's history.
CREATE INDEX ix_orders_browser_ip ON orders (shop, browser_ip, created_at);

-- Self-referral and "friend is new": the orders of one customer, or of one mailbox, before the judged order. With
-- created_at in these two the planner takes them over (shop, created_at), which read every earlier order of the shop.
DROP INDEX ix_orders_customer;
CREATE INDEX ix_orders_customer ON orders (shop, customer_id, created_at);
DROP INDEX ix_orders_email_key;
CREATE INDEX ix_orders_email_key ON orders (shop, email_key, created_at);
