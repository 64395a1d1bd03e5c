-- See the SQLite twin for the reasoning.
CREATE TABLE order_days (
    shop TEXT NOT NULL,
    day BIGINT NOT NULL,
    grp INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    orders BIGINT NOT NULL DEFAULT 0,
    referred_orders BIGINT NOT NULL DEFAULT 0,
    revenue_minor BIGINT NOT NULL DEFAULT 0,
    referred_revenue_minor BIGINT NOT NULL DEFAULT 0,
    new1 BIGINT NOT NULL DEFAULT 0, new2 BIGINT NOT NULL DEFAULT 0, new3 BIGINT NOT NULL DEFAULT 0,
    new4 BIGINT NOT NULL DEFAULT 0, new5 BIGINT NOT NULL DEFAULT 0, new6 BIGINT NOT NULL DEFAULT 0,
    new7 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (shop, day, grp, shard)
);
CREATE TABLE customer_facts (
    shop TEXT NOT NULL,
    customer_id BIGINT NOT NULL,
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    first_referred INTEGER NOT NULL,
    PRIMARY KEY (shop, customer_id)
);
CREATE INDEX ix_customer_facts_first ON customer_facts (shop, first_at, last_at, first_referred, customer_id);
ALTER TABLE orders ADD COLUMN rolled_day BIGINT NULL;
ALTER TABLE orders ADD COLUMN rolled_group INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_referred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_revenue_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_customer_id BIGINT NULL;
CREATE INDEX ix_orders_referred_time ON orders (shop, referred, counted, created_at, revenue_minor);
INSERT INTO customer_facts (shop, customer_id, first_at, last_at, first_referred)
SELECT shop, customer_id, MIN(created_at), MAX(created_at), 1 - MIN(created_at * 2 + 1 - referred) % 2
FROM orders WHERE counted = 1 AND customer_id IS NOT NULL GROUP BY shop, customer_id;
UPDATE orders SET
    rolled_day = created_at / 86400000,
    rolled_group = COALESCE((SELECT f.first_referred FROM customer_facts f WHERE f.shop = orders.shop AND f.customer_id = orders.customer_id), 2),
    rolled_new = CASE WHEN customer_id IS NULL THEN 0 ELSE COALESCE((
        SELECT CASE WHEN orders.created_at / 86400000 - MAX(p.created_at) / 86400000 >= 7 THEN 7 ELSE orders.created_at / 86400000 - MAX(p.created_at) / 86400000 END
        FROM orders p WHERE p.shop = orders.shop AND p.customer_id = orders.customer_id AND p.counted = 1
          AND (p.created_at < orders.created_at OR (p.created_at = orders.created_at AND p.order_id < orders.order_id))), 7) END,
    rolled_referred = referred, rolled_revenue_minor = revenue_minor, rolled_customer_id = customer_id
WHERE counted = 1;
INSERT INTO order_days (shop, day, grp, shard, orders, referred_orders, revenue_minor, referred_revenue_minor, new1, new2, new3, new4, new5, new6, new7)
SELECT shop, rolled_day, rolled_group, 0, COUNT(*), SUM(rolled_referred), SUM(rolled_revenue_minor),
       SUM(CASE WHEN rolled_referred = 1 THEN rolled_revenue_minor ELSE 0 END),
       SUM(CASE WHEN rolled_new >= 1 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 2 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rolled_new >= 3 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rolled_new >= 5 THEN 1 ELSE 0 END), SUM(CASE WHEN rolled_new >= 6 THEN 1 ELSE 0 END),
       SUM(CASE WHEN rolled_new >= 7 THEN 1 ELSE 0 END)
FROM orders WHERE rolled_day IS NOT NULL GROUP BY shop, rolled_day, rolled_group;
