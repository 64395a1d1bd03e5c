-- The durable inbox: one row per accepted delivery. Times are Unix milliseconds (UTC) in INTEGER/BIGINT
-- columns, so SQLite and SQL Server compare and index them the same way.
CREATE TABLE webhook_inbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    shop          TEXT    NOT NULL,
    topic         TEXT    NOT NULL,
    webhook_id    TEXT    NOT NULL,
    event_id      TEXT    NULL,
    triggered_at  TEXT    NULL,      -- as Shopify sent it (nanosecond ISO-8601)
    api_version   TEXT    NULL,
    body          BLOB    NOT NULL,  -- the raw bytes that were signed, never re-serialized
    received_at   INTEGER NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'pending', -- pending | processing | done | skipped | failed
    attempts      INTEGER NOT NULL DEFAULT 0,
    due_at        INTEGER NULL,      -- pending: next attempt; processing: lease expiry
    lease_owner   TEXT    NULL,
    last_error    TEXT    NULL,
    processed_at  INTEGER NULL,
    -- Transport dedupe: Shopify's X-Shopify-Webhook-Id is per delivery and repeats on retries.
    CONSTRAINT ux_webhook_inbox_delivery UNIQUE (shop, webhook_id)
);

CREATE INDEX ix_webhook_inbox_due ON webhook_inbox (due_at) WHERE status IN ('pending', 'processing');
CREATE INDEX ix_webhook_inbox_failed ON webhook_inbox (shop, id) WHERE status = 'failed';
