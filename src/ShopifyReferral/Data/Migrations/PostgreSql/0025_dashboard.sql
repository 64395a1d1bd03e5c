-- See the SQLite twin for the reasoning.
CREATE TABLE reward_thanks (
    reward_id    BIGINT NOT NULL PRIMARY KEY REFERENCES rewards (id),
    shop         TEXT   NOT NULL,
    customer_id  BIGINT NOT NULL,
    outcome      TEXT   NOT NULL,
    error        TEXT   NULL,
    thanked_at   BIGINT NOT NULL
);

CREATE INDEX ix_orders_shop_created ON orders (shop, created_at);
CREATE INDEX ix_rewards_shop_issued ON rewards (shop, issued_at);
