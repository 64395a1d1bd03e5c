-- See the SQLite twin for the reasoning.
ALTER TABLE orders ADD email_key NVARCHAR(320) NULL;
-- EXEC: the batch is compiled before the ALTER runs, so the new column is only visible to a later statement.
EXEC('CREATE INDEX ix_orders_email_key ON orders (shop, email_key)');
ALTER TABLE refunds ADD subtotal NVARCHAR(32) NULL;
