-- See the SQLite twin for the reasoning.
CREATE TABLE shops (
    shop            TEXT   NOT NULL PRIMARY KEY,
    status          TEXT   NOT NULL,
    installed_at    BIGINT NULL,
    uninstalled_at  BIGINT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE orders (
    shop              TEXT     NOT NULL,
    order_id          BIGINT   NOT NULL,
    name              TEXT     NULL,
    customer_id       BIGINT   NULL,
    email             TEXT     NULL,
    financial_status  TEXT     NULL,
    cancelled         SMALLINT NOT NULL DEFAULT 0,
    test              SMALLINT NOT NULL DEFAULT 0,
    currency          TEXT     NULL,
    subtotal_price    TEXT     NULL,
    total_price       TEXT     NULL,
    discount_codes    TEXT     NULL,
    order_updated_at  BIGINT   NOT NULL,
    created_at        BIGINT   NULL,
    last_topic        TEXT     NOT NULL,
    recorded_at       BIGINT   NOT NULL,
    PRIMARY KEY (shop, order_id)
);

CREATE TABLE refunds (
    shop        TEXT   NOT NULL,
    refund_id   BIGINT NOT NULL,
    order_id    BIGINT NOT NULL,
    amount      TEXT   NOT NULL,
    created_at  BIGINT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (shop, refund_id)
);
CREATE INDEX ix_refunds_order ON refunds (shop, order_id);
