-- Issue 14: after the rollups, the report's slowest reads were the referred orders' referrals (top referrers and the
-- funnel look up each one's status, referrer and channel in the table) and the range's share clicks (their channel
-- read from the table). Covering indexes answer both from the index alone.
CREATE INDEX ix_referrals_order_facts ON referrals (shop, order_id, status, referrer_id, channel);
DROP INDEX ix_share_clicks_shop_time;
CREATE INDEX ix_share_clicks_shop_time ON share_clicks (shop, clicked_at, channel);
