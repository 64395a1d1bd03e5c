-- Signed outbound events (an outbox). An event is written in the transaction that makes the change it tells of, with
-- one delivery row and one event.deliver job per endpoint of the shop subscribed to its type, so a change that rolls
-- back leaves neither event nor delivery. data holds ids and, for refusals, the rule and a reason in plain words:
-- never names, emails or addresses. The id (evt_...) is the webhook-id of every attempt, so receivers can dedupe.
CREATE TABLE events (
    id          TEXT    NOT NULL PRIMARY KEY,
    shop        TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    occurred_at INTEGER NOT NULL,
    data        TEXT    NOT NULL
);
CREATE INDEX ix_events_shop ON events (shop, occurred_at);

-- A merchant's receiver: where to POST, which types, and the signing secret (whsec_..., encrypted at rest).
CREATE TABLE event_endpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop       TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    types      TEXT    NOT NULL,   -- space-separated event types
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    rotated_at INTEGER NULL
);
CREATE INDEX ix_event_endpoints_shop ON event_endpoints (shop);

-- One event to one endpoint: at most one row each (the UNIQUE key), whatever retries or replays happen.
CREATE TABLE event_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shop            TEXT    NOT NULL,
    event_id        TEXT    NOT NULL,
    endpoint_id     INTEGER NOT NULL,
    status          TEXT    NOT NULL,   -- pending | delivered | failed | cancelled
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER NULL,       -- the HTTP status of the last attempt (null: no answer)
    last_error      TEXT    NULL,
    last_attempt_at INTEGER NULL,
    delivered_at    INTEGER NULL,
    created_at      INTEGER NOT NULL,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX ix_event_deliveries_endpoint ON event_deliveries (endpoint_id, id);
-- The job audit looks for waiting deliveries only.
CREATE INDEX ix_event_deliveries_pending ON event_deliveries (id) WHERE status = 'pending';
