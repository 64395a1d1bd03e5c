-- Retention of raw deliveries (Webhooks:Retention): processed bodies hold personal data, so done and skipped rows are
-- deleted after the retention and failed ones keep their row (the merchant's record) but lose their body. A body
-- removed that way, or by a customer's redaction request, is marked here, so it is never scanned or replayed again.
ALTER TABLE webhook_inbox ADD COLUMN body_removed_at INTEGER NULL;

-- The pruning sweep reads processed rows oldest first; rows still waiting (processed_at NULL) stay out of the index,
-- so the intake's inserts do not pay for it.
CREATE INDEX ix_webhook_inbox_processed ON webhook_inbox (processed_at) WHERE processed_at IS NOT NULL;
