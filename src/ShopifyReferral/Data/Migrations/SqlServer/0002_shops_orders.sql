CREATE TABLE shops (
    shop            NVARCHAR(255) NOT NULL PRIMARY KEY,
    status          NVARCHAR(16)  NOT NULL,
    installed_at    BIGINT NULL,
    uninstalled_at  BIGINT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE TABLE orders (
    shop              NVARCHAR(255) NOT NULL,
    order_id          BIGINT        NOT NULL,
    name              NVARCHAR(64)  NULL,
    customer_id       BIGINT        NULL,
    email             NVARCHAR(320) NULL,
    financial_status  NVARCHAR(32)  NULL,
    cancelled         BIT           NOT NULL DEFAULT 0,
    test              BIT           NOT NULL DEFAULT 0,
    currency          NVARCHAR(8)   NULL,
    subtotal_price    NVARCHAR(32)  NULL,
    total_price       NVARCHAR(32)  NULL,
    discount_codes    NVARCHAR(2000) NULL,
    order_updated_at  BIGINT        NOT NULL,
    created_at        BIGINT        NULL,
    last_topic        NVARCHAR(100) NOT NULL,
    recorded_at       BIGINT        NOT NULL,
    PRIMARY KEY (shop, order_id)
);
CREATE TABLE refunds (
    shop        NVARCHAR(255) NOT NULL,
    refund_id   BIGINT        NOT NULL,
    order_id    BIGINT        NOT NULL,
    amount      NVARCHAR(32)  NOT NULL,
    created_at  BIGINT        NULL,
    recorded_at BIGINT        NOT NULL,
    PRIMARY KEY (shop, refund_id)
);
CREATE INDEX ix_refunds_order ON refunds (shop, order_id);
