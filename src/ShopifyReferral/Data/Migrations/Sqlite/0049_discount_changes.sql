-- A merchant's edit or deletion, in the Shopify admin, of a code we made (a referrer's code or a reward code), as
-- the discounts/* webhooks told it. One row per delivery and code (the UNIQUE key), so a redelivery adds nothing.
CREATE TABLE discount_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop         TEXT    NOT NULL,
    webhook_id   TEXT    NOT NULL,
    topic        TEXT    NOT NULL,   -- discounts/update | discounts/delete | discounts/redeemcode_removed
    discount_gid TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    owner        TEXT    NOT NULL,   -- referrer | reward
    owner_id     INTEGER NOT NULL,   -- referrers.id or rewards.id
    detail       TEXT    NULL,       -- for an update: the title and status Shopify sent
    occurred_at  INTEGER NOT NULL,
    UNIQUE (webhook_id, code)
);
CREATE INDEX ix_discount_changes_shop ON discount_changes (shop, id);

-- The daily usage check: Shopify's asyncUsageCount of each referrer code beside the referrals recorded for it.
-- One row per referrer, replaced by each check; a difference means missed orders or a leaked code.
CREATE TABLE code_usage_checks (
    referrer_id INTEGER NOT NULL PRIMARY KEY,
    shop        TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    shopify_uses INTEGER NOT NULL,
    referrals   INTEGER NOT NULL,
    checked_at  INTEGER NOT NULL
);
CREATE INDEX ix_code_usage_checks_shop ON code_usage_checks (shop);
