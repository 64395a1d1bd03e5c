-- Thanking referrers: one row per reward whose customer got the app's metafield and tag in Shopify.
-- The primary key is the idempotency key: the sweeper writes it after both Admin calls succeeded, and both
-- calls (metafieldsSet, tagsAdd) set a state rather than add to it, so a crash in between only repeats them.
CREATE TABLE reward_thanks (
    reward_id    INTEGER NOT NULL PRIMARY KEY REFERENCES rewards (id),
    shop         TEXT    NOT NULL,
    customer_id  INTEGER NOT NULL,
    thanked_at   INTEGER NOT NULL
);
