-- See the SQLite twin for the reasoning.
ALTER TABLE webhook_inbox ADD body_removed_at BIGINT NULL;
CREATE INDEX ix_webhook_inbox_processed ON webhook_inbox (processed_at) WHERE processed_at IS NOT NULL;
