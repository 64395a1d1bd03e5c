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
