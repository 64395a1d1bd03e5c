-- The referral engine. Money is Shopify's decimal strings; times are Unix milliseconds.

-- What the fraud rules compare: facts about each order beyond the columns of 0002.
ALTER TABLE orders ADD COLUMN phone TEXT NULL;
ALTER TABLE orders ADD COLUMN shipping_fingerprint TEXT NULL;   -- normalised shipping address
ALTER TABLE orders ADD COLUMN browser_ip TEXT NULL;
ALTER TABLE orders ADD COLUMN user_agent TEXT NULL;
ALTER TABLE orders ADD COLUMN discounted_subtotal TEXT NULL;    -- current subtotal after discounts, before tax and shipping
CREATE INDEX ix_orders_customer ON orders (shop, customer_id);
CREATE INDEX ix_orders_email ON orders (shop, email);

-- One row per program version. The shop's active program is its highest version; a change writes a new
-- version, so a referral judged under version 3 is still explained by version 3's row.
CREATE TABLE programs (
    shop                 TEXT    NOT NULL,
    version              INTEGER NOT NULL,
    settings             TEXT    NOT NULL,   -- JSON of ProgramSettings
    friend_discount_gid  TEXT    NULL,       -- the Shopify discount holding referrer codes for this friend offer
    created_at           INTEGER NOT NULL,
    PRIMARY KEY (shop, version)
);

CREATE TABLE referrers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shop            TEXT    NOT NULL,
    customer_id     INTEGER NOT NULL,
    email           TEXT    NULL,
    first_name      TEXT    NULL,
    last_name       TEXT    NULL,
    code            TEXT    NOT NULL,            -- upper case; matched case-insensitively
    code_status     TEXT    NOT NULL DEFAULT 'pending',  -- pending | live | failed: the code exists in Shopify
    code_error      TEXT    NULL,
    program_version INTEGER NOT NULL,            -- the friend offer the code was created under
    blocked         INTEGER NOT NULL DEFAULT 0,
    blocked_reason  TEXT    NULL,
    enrolled_at     INTEGER NOT NULL,
    CONSTRAINT ux_referrers_customer UNIQUE (shop, customer_id),
    CONSTRAINT ux_referrers_code UNIQUE (shop, code)
);

-- One referral per (shop, order), whichever topics and in whatever order the order arrived.
CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    shop                TEXT    NOT NULL,
    order_id            INTEGER NOT NULL,
    order_name          TEXT    NULL,
    referrer_id         INTEGER NOT NULL REFERENCES referrers (id),
    code                TEXT    NOT NULL,
    friend_customer_id  INTEGER NULL,
    friend_email        TEXT    NULL,
    program_version     INTEGER NOT NULL,
    status              TEXT    NOT NULL,   -- pending | review | approved | rewarded | rejected | voided
    status_reason       TEXT    NULL,       -- in words a merchant can read
    currency            TEXT    NULL,
    order_subtotal      TEXT    NULL,       -- after discounts, before tax and shipping; goes down with refunds
    paid_at             INTEGER NULL,
    hold_until          INTEGER NULL,
    order_updated_at    INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CONSTRAINT ux_referrals_order UNIQUE (shop, order_id)
);
CREATE INDEX ix_referrals_referrer ON referrals (referrer_id, status);
CREATE INDEX ix_referrals_hold ON referrals (hold_until) WHERE status = 'pending';
CREATE INDEX ix_referrals_shop_status ON referrals (shop, status, created_at);

-- Each fraud and eligibility rule's decision, with its evidence, per referral.
CREATE TABLE referral_checks (
    referral_id  INTEGER NOT NULL REFERENCES referrals (id),
    rule         TEXT    NOT NULL,   -- self_referral | friend_not_new | velocity | blocked_referrer | test_order | minimum | cap ...
    outcome      TEXT    NOT NULL,   -- pass | reject | review
    evidence     TEXT    NOT NULL,   -- a sentence for the merchant
    checked_at   INTEGER NOT NULL,
    PRIMARY KEY (referral_id, rule)
);

-- Every reward the app owes or gave. idempotency_key = '{referral id}:{kind}' (or '{referrer id}:milestone:{n}'),
-- UNIQUE per shop: a second attempt to owe the same reward is a no-op. The Shopify code is deterministic from the
-- key, so a retry after "Shopify created it, we crashed before recording it" finds it by code.
CREATE TABLE rewards (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    shop             TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    referrer_id      INTEGER NOT NULL REFERENCES referrers (id),
    referral_id      INTEGER NULL REFERENCES referrals (id),
    kind             TEXT    NOT NULL,   -- referral | milestone
    reward_type      TEXT    NOT NULL,   -- percentage | fixed_amount | free_shipping | store_credit
    value            TEXT    NULL,
    currency         TEXT    NULL,
    code             TEXT    NULL,       -- deterministic discount code (NULL for store credit)
    status           TEXT    NOT NULL,   -- owed | issued | redeemed | clawed_back | lost | failed
    shopify_gid      TEXT    NULL,       -- discount node or store-credit transaction
    expires_at       INTEGER NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    due_at           INTEGER NULL,       -- next attempt, or lease expiry while an issuer holds it
    lease_owner      TEXT    NULL,
    last_error       TEXT    NULL,
    created_at       INTEGER NOT NULL,
    issued_at        INTEGER NULL,
    redeemed_at      INTEGER NULL,
    redeemed_order_id INTEGER NULL,
    CONSTRAINT ux_rewards_key UNIQUE (shop, idempotency_key)
);
CREATE UNIQUE INDEX ux_rewards_code ON rewards (shop, code) WHERE code IS NOT NULL;
CREATE INDEX ix_rewards_due ON rewards (due_at) WHERE status = 'owed';
CREATE INDEX ix_rewards_referrer ON rewards (referrer_id);
