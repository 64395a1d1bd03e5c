-- See the SQLite twin for the reasoning: money in whole minor units in BIGINT columns named *_minor.
ALTER TABLE orders ADD subtotal_minor BIGINT NULL, total_minor BIGINT NULL, discounted_subtotal_minor BIGINT NULL;
ALTER TABLE refunds ADD currency NVARCHAR(8) NULL, amount_minor BIGINT NOT NULL CONSTRAINT df_refunds_amount_minor DEFAULT 0, subtotal_minor BIGINT NULL;
ALTER TABLE referrals ADD order_subtotal_minor BIGINT NULL;
ALTER TABLE rewards ADD amount_minor BIGINT NULL;

CREATE TABLE #money_scale (currency NVARCHAR(8) NOT NULL PRIMARY KEY, scale BIGINT NOT NULL);
INSERT INTO #money_scale VALUES
    ('BIF', 1), ('CLP', 1), ('DJF', 1), ('GNF', 1), ('ISK', 1), ('JPY', 1), ('KMF', 1), ('KRW', 1), ('PYG', 1),
    ('RWF', 1), ('UGX', 1), ('UYI', 1), ('VND', 1), ('VUV', 1), ('XAF', 1), ('XOF', 1), ('XPF', 1),
    ('BHD', 1000), ('IQD', 1000), ('JOD', 1000), ('KWD', 1000), ('LYD', 1000), ('OMR', 1000), ('TND', 1000),
    ('CLF', 10000), ('UYW', 10000);

-- EXEC: the batch is compiled before the ALTERs run, so the new columns are only visible to a later statement.
EXEC('
UPDATE o SET
    subtotal_minor = CAST(ROUND(TRY_CAST(o.subtotal_price AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT),
    total_minor = CAST(ROUND(TRY_CAST(o.total_price AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT),
    discounted_subtotal_minor = CAST(ROUND(TRY_CAST(o.discounted_subtotal AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT)
FROM orders o LEFT JOIN #money_scale s ON s.currency = UPPER(o.currency);
UPDATE f SET currency = o.currency FROM refunds f JOIN orders o ON o.shop = f.shop AND o.order_id = f.order_id;
UPDATE f SET
    amount_minor = COALESCE(CAST(ROUND(TRY_CAST(f.amount AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT), 0),
    subtotal_minor = CAST(ROUND(TRY_CAST(f.subtotal AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT)
FROM refunds f LEFT JOIN #money_scale s ON s.currency = UPPER(f.currency);
UPDATE r SET order_subtotal_minor = CAST(ROUND(TRY_CAST(r.order_subtotal AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT)
FROM referrals r LEFT JOIN #money_scale s ON s.currency = UPPER(r.currency);
UPDATE w SET amount_minor = CAST(ROUND(TRY_CAST(w.value AS DECIMAL(19,4)) * COALESCE(s.scale, 100), 0) AS BIGINT), value = NULL
FROM rewards w LEFT JOIN #money_scale s ON s.currency = UPPER(w.currency)
WHERE w.reward_type IN (''fixed_amount'', ''store_credit'') AND w.value IS NOT NULL;
');
DROP TABLE #money_scale;

ALTER TABLE orders DROP COLUMN subtotal_price, total_price, discounted_subtotal;
ALTER TABLE refunds DROP COLUMN amount, subtotal;
ALTER TABLE referrals DROP COLUMN order_subtotal;
