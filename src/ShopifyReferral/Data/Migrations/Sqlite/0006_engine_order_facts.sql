-- What the engine compares beyond 0004.
-- email_key: the normalised mailbox (lower case, no +tag, no Gmail dots), so "friend not new" and self-referral
-- catch Jane.Doe+shop@example.com as jane.doe@example.com with an indexed lookup.
ALTER TABLE orders ADD COLUMN email_key TEXT NULL;
CREATE INDEX ix_orders_email_key ON orders (shop, email_key);
-- subtotal: the refunded line items before tax (refund_line_items[].subtotal). A refund's amount also carries tax
-- and shipping, which the friend-order minimum (subtotal before tax and shipping) must not count.
ALTER TABLE refunds ADD COLUMN subtotal TEXT NULL;
