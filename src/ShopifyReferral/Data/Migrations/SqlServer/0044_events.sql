-- See the SQLite twin for the reasoning.
CREATE TABLE events (
    id          NVARCHAR(64)  NOT NULL PRIMARY KEY,
    shop        NVARCHAR(255) NOT NULL,
    type        NVARCHAR(64)  NOT NULL,
    occurred_at BIGINT        NOT NULL,
    data        NVARCHAR(MAX) NOT NULL
);
CREATE INDEX ix_events_shop ON events (shop, occurred_at);

CREATE TABLE event_endpoints (
    id         BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop       NVARCHAR(255)  NOT NULL,
    url        NVARCHAR(2048) NOT NULL,
    types      NVARCHAR(1024) NOT NULL,
    secret     NVARCHAR(MAX)  NOT NULL,
    created_at BIGINT         NOT NULL,
    rotated_at BIGINT         NULL
);
CREATE INDEX ix_event_endpoints_shop ON event_endpoints (shop);

CREATE TABLE event_deliveries (
    id              BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop            NVARCHAR(255) NOT NULL,
    event_id        NVARCHAR(64)  NOT NULL,
    endpoint_id     BIGINT        NOT NULL,
    status          NVARCHAR(16)  NOT NULL,
    attempts        INT           NOT NULL DEFAULT 0,
    last_status     INT           NULL,
    last_error      NVARCHAR(MAX) NULL,
    last_attempt_at BIGINT        NULL,
    delivered_at    BIGINT        NULL,
    created_at      BIGINT        NOT NULL,
    CONSTRAINT uq_event_deliveries UNIQUE (event_id, endpoint_id)
);
CREATE INDEX ix_event_deliveries_endpoint ON event_deliveries (endpoint_id, id);
CREATE INDEX ix_event_deliveries_pending ON event_deliveries (id) WHERE status = 'pending';
