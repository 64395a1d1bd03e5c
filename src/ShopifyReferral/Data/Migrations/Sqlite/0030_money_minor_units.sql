-- Money in whole minor units of its currency (cents, yen, fils) in INTEGER columns named *_minor, instead of
-- Shopify's decimal strings. Casting the strings in SQL typed 80.00 as INTEGER and 43.20 as REAL, so readers broke
-- as soon as a shop had both; integers sum exactly on every provider. The code converts with Data/Money.cs; this
-- backfill carries its own copy of the currency exponents because a migration must not change when the code does.

ALTER TABLE orders ADD COLUMN subtotal_minor INTEGER NULL;              -- subtotal_price: after discounts, as ordered
ALTER TABLE orders ADD COLUMN total_minor INTEGER NULL;                 -- total_price: the original total, taxes and shipping included
ALTER TABLE orders ADD COLUMN discounted_subtotal_minor INTEGER NULL;   -- current_subtotal_price: goes down with refunds
ALTER TABLE refunds ADD COLUMN currency TEXT NULL;
ALTER TABLE refunds ADD COLUMN amount_minor INTEGER NOT NULL DEFAULT 0; -- successful refund transactions, tax and shipping included
ALTER TABLE refunds ADD COLUMN subtotal_minor INTEGER NULL;             -- refunded line items before tax
ALTER TABLE referrals ADD COLUMN order_subtotal_minor INTEGER NULL;
ALTER TABLE rewards ADD COLUMN amount_minor INTEGER NULL;               -- face value of fixed_amount and store_credit rewards

CREATE TEMP TABLE money_scale (currency TEXT NOT NULL PRIMARY KEY, scale INTEGER NOT NULL);
INSERT INTO money_scale VALUES
    ('BIF', 1), ('CLP', 1), ('DJF', 1), ('GNF', 1), ('ISK', 1), ('JPY', 1), ('KMF', 1), ('KRW', 1), ('PYG', 1),
    ('RWF', 1), ('UGX', 1), ('UYI', 1), ('VND', 1), ('VUV', 1), ('XAF', 1), ('XOF', 1), ('XPF', 1),
    ('BHD', 1000), ('IQD', 1000), ('JOD', 1000), ('KWD', 1000), ('LYD', 1000), ('OMR', 1000), ('TND', 1000),
    ('CLF', 10000), ('UYW', 10000);

UPDATE orders SET
    subtotal_minor = CAST(ROUND(CAST(subtotal_price AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(orders.currency)), 100)) AS INTEGER),
    total_minor = CAST(ROUND(CAST(total_price AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(orders.currency)), 100)) AS INTEGER),
    discounted_subtotal_minor = CAST(ROUND(CAST(discounted_subtotal AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(orders.currency)), 100)) AS INTEGER);
UPDATE refunds SET currency = (SELECT o.currency FROM orders o WHERE o.shop = refunds.shop AND o.order_id = refunds.order_id);
UPDATE refunds SET
    amount_minor = COALESCE(CAST(ROUND(CAST(amount AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(refunds.currency)), 100)) AS INTEGER), 0),
    subtotal_minor = CAST(ROUND(CAST(subtotal AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(refunds.currency)), 100)) AS INTEGER);
UPDATE referrals SET
    order_subtotal_minor = CAST(ROUND(CAST(order_subtotal AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(referrals.currency)), 100)) AS INTEGER);
-- A money reward keeps its face value in amount_minor; value stays for what is not money (a percentage).
UPDATE rewards SET
    amount_minor = CAST(ROUND(CAST(value AS REAL) * COALESCE((SELECT scale FROM money_scale WHERE currency = UPPER(rewards.currency)), 100)) AS INTEGER),
    value = NULL
WHERE reward_type IN ('fixed_amount', 'store_credit') AND value IS NOT NULL;
DROP TABLE money_scale;

ALTER TABLE orders DROP COLUMN subtotal_price;
ALTER TABLE orders DROP COLUMN total_price;
ALTER TABLE orders DROP COLUMN discounted_subtotal;
ALTER TABLE refunds DROP COLUMN amount;
ALTER TABLE refunds DROP COLUMN subtotal;
ALTER TABLE referrals DROP COLUMN order_subtotal;
