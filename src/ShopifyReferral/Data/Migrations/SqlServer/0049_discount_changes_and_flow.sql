-- See the SQLite twin for the reasoning.
CREATE TABLE discount_changes (
    id           BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop         NVARCHAR(255) NOT NULL,
    webhook_id   NVARCHAR(128) NOT NULL,
    topic        NVARCHAR(64)  NOT NULL,
    discount_gid NVARCHAR(255) NOT NULL,
    code         NVARCHAR(255) NOT NULL,
    owner        NVARCHAR(16)  NOT NULL,
    owner_id     BIGINT        NOT NULL,
    detail       NVARCHAR(MAX) NULL,
    occurred_at  BIGINT        NOT NULL,
    CONSTRAINT uq_discount_changes UNIQUE (webhook_id, code)
);
CREATE INDEX ix_discount_changes_shop ON discount_changes (shop, id);

CREATE TABLE code_usage_checks (
    referrer_id  BIGINT        NOT NULL PRIMARY KEY,
    shop         NVARCHAR(255) NOT NULL,
    code         NVARCHAR(255) NOT NULL,
    shopify_uses BIGINT        NOT NULL,
    referrals    BIGINT        NOT NULL,
    checked_at   BIGINT        NOT NULL
);
CREATE INDEX ix_code_usage_checks_shop ON code_usage_checks (shop);

CREATE TABLE flow_triggers (
    shop       NVARCHAR(255) NOT NULL,
    handle     NVARCHAR(64)  NOT NULL,
    enabled    INT           NOT NULL,
    changed_at BIGINT        NOT NULL,
    CONSTRAINT pk_flow_triggers PRIMARY KEY (shop, handle)
);

CREATE TABLE flow_sends (
    id         BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop       NVARCHAR(255) NOT NULL,
    event_id   NVARCHAR(64)  NOT NULL,
    handle     NVARCHAR(64)  NOT NULL,
    status     NVARCHAR(16)  NOT NULL,
    error      NVARCHAR(MAX) NULL,
    created_at BIGINT        NOT NULL,
    sent_at    BIGINT        NULL,
    CONSTRAINT uq_flow_sends UNIQUE (event_id, handle)
);

CREATE TABLE flow_action_runs (
    action_run_id NVARCHAR(255) NOT NULL PRIMARY KEY,
    shop          NVARCHAR(255) NOT NULL,
    customer_id   BIGINT        NOT NULL,
    referrer_id   BIGINT        NOT NULL,
    created_at    BIGINT        NOT NULL
);
