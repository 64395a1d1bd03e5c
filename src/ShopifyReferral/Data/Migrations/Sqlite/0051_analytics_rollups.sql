-- Issue 14: the analytics report read every order of the shop for its customer figures and every order in the
-- range for its series. Two rollups kept by Referrals/AnalyticsRollups.cs in the transaction of each order change:
-- order_days: per UTC day (days since 1970) and group (0: the customer's first order was not referred, 1: it was,
--   2: no customer) the period sums, plus new1..new7 = orders whose customer's previous counted order is at least
--   1..7 days earlier (or who has none): a customer is counted once in a bucket of at most 7 days that way.
--   shard spreads one day's counters over rows so PostgreSQL and SQL Server workers don't queue on one row lock.
-- customer_facts: per customer the first and last counted order and whether the first was referred.
-- Each order row remembers what it added to order_days (rolled_*), so a change moves exactly that.
-- The statements after the tables fill them for the orders recorded so far; `analytics rebuild` runs the same
-- (Referrals/AnalyticsRollups.Rebuild) for rows written outside the app.
CREATE TABLE order_days (
    shop TEXT NOT NULL,
    day INTEGER NOT NULL,
    grp INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    orders INTEGER NOT NULL DEFAULT 0,
    referred_orders INTEGER NOT NULL DEFAULT 0,
    revenue_minor INTEGER NOT NULL DEFAULT 0,
    referred_revenue_minor INTEGER NOT NULL DEFAULT 0,
    new1 INTEGER NOT NULL DEFAULT 0, new2 INTEGER NOT NULL DEFAULT 0, new3 INTEGER NOT NULL DEFAULT 0,
    new4 INTEGER NOT NULL DEFAULT 0, new5 INTEGER NOT NULL DEFAULT 0, new6 INTEGER NOT NULL DEFAULT 0,
    new7 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shop, day, grp, shard)
);
CREATE TABLE customer_facts (
    shop TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    first_referred INTEGER NOT NULL,
    PRIMARY KEY (shop, customer_id)
);
CREATE INDEX ix_customer_facts_first ON customer_facts (shop, first_at, last_at, first_referred, customer_id);
ALTER TABLE orders ADD COLUMN rolled_day INTEGER NULL;
ALTER TABLE orders ADD COLUMN rolled_group INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_referred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_revenue_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN rolled_customer_id INTEGER NULL;
-- Top referrers read only the referred orders of the range.
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
