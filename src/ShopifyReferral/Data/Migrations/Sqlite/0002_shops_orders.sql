CREATE TABLE shops (
    shop            TEXT    NOT NULL PRIMARY KEY, -- canonical {handle}.myshopify.com, lower case
    status          TEXT    NOT NULL,             -- installed | uninstalled
    installed_at    INTEGER NULL,
    uninstalled_at  INTEGER NULL,
    updated_at      INTEGER NOT NULL
);

-- The latest state of every order the app has seen, whatever topic brought it. A stale delivery
-- (an older updated_at) never overwrites a newer one.
CREATE TABLE orders (
    shop              TEXT    NOT NULL,
    order_id          INTEGER NOT NULL,
    name              TEXT    NULL,
    customer_id       INTEGER NULL,
    email             TEXT    NULL,
    financial_status  TEXT    NULL,
    cancelled         INTEGER NOT NULL DEFAULT 0,
    test              INTEGER NOT NULL DEFAULT 0,
    currency          TEXT    NULL,
    subtotal_price    TEXT    NULL,   -- money as Shopify's decimal strings
    total_price       TEXT    NULL,
    discount_codes    TEXT    NULL,   -- upper-cased codes, comma separated
    order_updated_at  INTEGER NOT NULL,
    created_at        INTEGER NULL,
    last_topic        TEXT    NOT NULL,
    recorded_at       INTEGER NOT NULL,
    PRIMARY KEY (shop, order_id)
);

CREATE TABLE refunds (
    shop        TEXT    NOT NULL,
    refund_id   INTEGER NOT NULL,
    order_id    INTEGER NOT NULL,
    amount      TEXT    NOT NULL,
    created_at  INTEGER NULL,
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (shop, refund_id)
);
CREATE INDEX ix_refunds_order ON refunds (shop, order_id);
