-- See the SQLite twin for the reasoning.
CREATE INDEX ix_referrals_order_facts ON referrals (shop, order_id, status, referrer_id, channel);
DROP INDEX ix_share_clicks_shop_time;
CREATE INDEX ix_share_clicks_shop_time ON share_clicks (shop, clicked_at, channel);
