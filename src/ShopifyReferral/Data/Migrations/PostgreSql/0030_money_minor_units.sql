-- See the SQLite twin for the reasoning: money in whole minor units in BIGINT columns named *_minor.
ALTER TABLE orders ADD COLUMN subtotal_minor BIGINT NULL, ADD COLUMN total_minor BIGINT NULL,
    ADD COLUMN discounted_subtotal_minor BIGINT NULL;
ALTER TABLE refunds ADD COLUMN currency TEXT NULL, ADD COLUMN amount_minor BIGINT NOT NULL DEFAULT 0,
    ADD COLUMN subtotal_minor BIGINT NULL;
ALTER TABLE referrals ADD COLUMN order_subtotal_minor BIGINT NULL;
ALTER TABLE rewards ADD COLUMN amount_minor BIGINT NULL;

CREATE TEMP TABLE money_scale (currency TEXT NOT NULL PRIMARY KEY, scale BIGINT NOT NULL);
INSERT INTO money_scale VALUES
    ('BIF', 1), ('CLP', 1), ('DJF', 1), ('GNF', 1), ('ISK', 1), ('JPY', 1), ('KMF', 1), ('KRW', 1), ('PYG', 1),
    ('RWF', 1), ('UGX', 1), ('UYI', 1), ('VND', 1), ('VUV', 1), ('XAF', 1), ('XOF', 1), ('XPF', 1),
    ('BHD', 1000), ('IQD', 1000), ('JOD', 1000), ('KWD', 1000), ('LYD', 1000), ('OMR', 1000), ('TND', 1000),
    ('CLF', 10000), ('UYW', 10000);

-- A decimal string ($1) in minor units of its currency ($2). Anything but a plain decimal gives NULL, as SQLite's
-- lenient CAST does, where PostgreSQL's CAST would abort the migration.
CREATE FUNCTION pg_temp.minor_units(TEXT, TEXT) RETURNS BIGINT LANGUAGE SQL AS $$
    SELECT CASE WHEN $1 ~ '^\s*-?[0-9]+(\.[0-9]*)?\s*$'
        THEN CAST(ROUND(CAST($1 AS NUMERIC) * COALESCE((SELECT s.scale FROM money_scale s WHERE s.currency = UPPER($2)), 100)) AS BIGINT)
    END
$$;

UPDATE orders SET
    subtotal_minor = pg_temp.minor_units(subtotal_price, currency),
    total_minor = pg_temp.minor_units(total_price, currency),
    discounted_subtotal_minor = pg_temp.minor_units(discounted_subtotal, currency);
UPDATE refunds f SET currency = o.currency FROM orders o WHERE o.shop = f.shop AND o.order_id = f.order_id;
UPDATE refunds SET
    amount_minor = COALESCE(pg_temp.minor_units(amount, currency), 0),
    subtotal_minor = pg_temp.minor_units(subtotal, currency);
UPDATE referrals SET order_subtotal_minor = pg_temp.minor_units(order_subtotal, currency);
-- A money reward keeps its face value in amount_minor; value stays for what is not money (a percentage).
UPDATE rewards SET amount_minor = pg_temp.minor_units(value, currency), value = NULL
WHERE reward_type IN ('fixed_amount', 'store_credit') AND value IS NOT NULL;
DROP FUNCTION pg_temp.minor_units(TEXT, TEXT);
DROP TABLE money_scale;

ALTER TABLE orders DROP COLUMN subtotal_price, DROP COLUMN total_price, DROP COLUMN discounted_subtotal;
ALTER TABLE refunds DROP COLUMN amount, DROP COLUMN subtotal;
ALTER TABLE referrals DROP COLUMN order_subtotal;
