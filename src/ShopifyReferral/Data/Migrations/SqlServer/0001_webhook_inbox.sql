-- See the SQLite twin for the reasoning; times are Unix milliseconds in BIGINT.
CREATE TABLE webhook_inbox (
    id            BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop          NVARCHAR(255)  NOT NULL,
    topic         NVARCHAR(100)  NOT NULL,
    webhook_id    NVARCHAR(255)  NOT NULL,
    event_id      NVARCHAR(255)  NULL,
    triggered_at  NVARCHAR(64)   NULL,
    api_version   NVARCHAR(32)   NULL,
    body          VARBINARY(MAX) NOT NULL,
    received_at   BIGINT         NOT NULL,
    status        NVARCHAR(16)   NOT NULL DEFAULT 'pending',
    attempts      INT            NOT NULL DEFAULT 0,
    due_at        BIGINT         NULL,
    lease_owner   NVARCHAR(64)   NULL,
    last_error    NVARCHAR(MAX)  NULL,
    processed_at  BIGINT         NULL,
    CONSTRAINT ux_webhook_inbox_delivery UNIQUE (shop, webhook_id)
);
CREATE INDEX ix_webhook_inbox_due ON webhook_inbox (due_at) WHERE status IN ('pending', 'processing');
CREATE INDEX ix_webhook_inbox_failed ON webhook_inbox (shop, id) WHERE status = 'failed';
