-- Thanking referrers: one row per reward whose customer got the app's metafields and tag in Shopify (outcome
-- 'thanked'), or for which Shopify refused them for good (outcome 'failed', e.g. the customer was deleted), so the
-- sweeper never asks again. The primary key is the idempotency key: the row is written after both Admin calls
-- succeeded, and both calls (metafieldsSet, tagsAdd) set a state rather than add to it, so a crash in between only
-- repeats them.
CREATE TABLE reward_thanks (
    reward_id    INTEGER NOT NULL PRIMARY KEY REFERENCES rewards (id),
    shop         TEXT    NOT NULL,
    customer_id  INTEGER NOT NULL,
    outcome      TEXT    NOT NULL,   -- thanked | failed
    error        TEXT    NULL,
    thanked_at   INTEGER NOT NULL
);

-- The dashboard's KPI queries read orders and rewards by shop and time (bench/DashboardBench measures them).
CREATE INDEX ix_orders_shop_created ON orders (shop, created_at);
CREATE INDEX ix_rewards_shop_issued ON rewards (shop, issued_at);
