-- See the SQLite twin for the reasoning.
ALTER TABLE orders ADD COLUMN referral_referrer_id BIGINT NULL;
ALTER TABLE orders ADD COLUMN referral_channel TEXT NULL;
ALTER TABLE orders ADD COLUMN referral_rewarded INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET
    referral_referrer_id = (SELECT r.referrer_id FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected'),
    referral_channel = (SELECT r.channel FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status <> 'rejected'),
    referral_rewarded = CASE WHEN EXISTS (SELECT 1 FROM referrals r WHERE r.shop = orders.shop AND r.order_id = orders.order_id AND r.status = 'rewarded') THEN 1 ELSE 0 END
WHERE referred = 1;
DROP INDEX ix_orders_referred_time;
CREATE INDEX ix_orders_referred_time ON orders (shop, referred, counted, created_at, revenue_minor, referral_referrer_id, referral_channel, referral_rewarded);
