-- See the SQLite twin for the reasoning.
ALTER TABLE orders ADD phone NVARCHAR(64) NULL, shipping_fingerprint NVARCHAR(400) NULL, browser_ip NVARCHAR(64) NULL,
    user_agent NVARCHAR(1000) NULL, discounted_subtotal NVARCHAR(32) NULL;
CREATE INDEX ix_orders_customer ON orders (shop, customer_id);
CREATE INDEX ix_orders_email ON orders (shop, email);

CREATE TABLE programs (
    shop                 NVARCHAR(255) NOT NULL,
    version              INT           NOT NULL,
    settings             NVARCHAR(MAX) NOT NULL,
    friend_discount_gid  NVARCHAR(255) NULL,
    created_at           BIGINT        NOT NULL,
    PRIMARY KEY (shop, version)
);

CREATE TABLE referrers (
    id              BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop            NVARCHAR(255) NOT NULL,
    customer_id     BIGINT        NOT NULL,
    email           NVARCHAR(320) NULL,
    first_name      NVARCHAR(200) NULL,
    last_name       NVARCHAR(200) NULL,
    code            NVARCHAR(64)  NOT NULL,
    code_status     NVARCHAR(16)  NOT NULL DEFAULT 'pending',
    code_error      NVARCHAR(MAX) NULL,
    program_version INT           NOT NULL,
    blocked         BIT           NOT NULL DEFAULT 0,
    blocked_reason  NVARCHAR(MAX) NULL,
    enrolled_at     BIGINT        NOT NULL,
    CONSTRAINT ux_referrers_customer UNIQUE (shop, customer_id),
    CONSTRAINT ux_referrers_code UNIQUE (shop, code)
);

CREATE TABLE referrals (
    id                  BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop                NVARCHAR(255) NOT NULL,
    order_id            BIGINT        NOT NULL,
    order_name          NVARCHAR(64)  NULL,
    referrer_id         BIGINT        NOT NULL REFERENCES referrers (id),
    code                NVARCHAR(64)  NOT NULL,
    friend_customer_id  BIGINT        NULL,
    friend_email        NVARCHAR(320) NULL,
    program_version     INT           NOT NULL,
    status              NVARCHAR(16)  NOT NULL,
    status_reason       NVARCHAR(MAX) NULL,
    currency            NVARCHAR(8)   NULL,
    order_subtotal      NVARCHAR(32)  NULL,
    paid_at             BIGINT        NULL,
    hold_until          BIGINT        NULL,
    order_updated_at    BIGINT        NOT NULL,
    created_at          BIGINT        NOT NULL,
    updated_at          BIGINT        NOT NULL,
    CONSTRAINT ux_referrals_order UNIQUE (shop, order_id)
);
CREATE INDEX ix_referrals_referrer ON referrals (referrer_id, status);
CREATE INDEX ix_referrals_hold ON referrals (hold_until) WHERE status = 'pending';
CREATE INDEX ix_referrals_shop_status ON referrals (shop, status, created_at);

CREATE TABLE referral_checks (
    referral_id  BIGINT        NOT NULL REFERENCES referrals (id),
    [rule]       NVARCHAR(64)  NOT NULL,
    outcome      NVARCHAR(16)  NOT NULL,
    evidence     NVARCHAR(MAX) NOT NULL,
    checked_at   BIGINT        NOT NULL,
    PRIMARY KEY (referral_id, [rule])
);

CREATE TABLE rewards (
    id                BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop              NVARCHAR(255) NOT NULL,
    idempotency_key   NVARCHAR(200) NOT NULL,
    referrer_id       BIGINT        NOT NULL REFERENCES referrers (id),
    referral_id       BIGINT        NULL REFERENCES referrals (id),
    kind              NVARCHAR(16)  NOT NULL,
    reward_type       NVARCHAR(16)  NOT NULL,
    value             NVARCHAR(32)  NULL,
    currency          NVARCHAR(8)   NULL,
    code              NVARCHAR(64)  NULL,
    status            NVARCHAR(16)  NOT NULL,
    shopify_gid       NVARCHAR(255) NULL,
    expires_at        BIGINT        NULL,
    attempts          INT           NOT NULL DEFAULT 0,
    due_at            BIGINT        NULL,
    lease_owner       NVARCHAR(64)  NULL,
    last_error        NVARCHAR(MAX) NULL,
    created_at        BIGINT        NOT NULL,
    issued_at         BIGINT        NULL,
    redeemed_at       BIGINT        NULL,
    redeemed_order_id BIGINT        NULL,
    CONSTRAINT ux_rewards_key UNIQUE (shop, idempotency_key)
);
CREATE UNIQUE INDEX ux_rewards_code ON rewards (shop, code) WHERE code IS NOT NULL;
CREATE INDEX ix_rewards_due ON rewards (due_at) WHERE status = 'owed';
CREATE INDEX ix_rewards_referrer ON rewards (referrer_id);
