-- customers/data_request: what the app holds about a customer, kept for the merchant to fetch and send on.
CREATE TABLE privacy_exports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    shop          TEXT NOT NULL,
    customer_id   INTEGER NULL,
    email         TEXT NULL,
    request_id    TEXT NULL,
    body          TEXT NOT NULL,   -- the JSON export
    created_at    INTEGER NOT NULL
);
CREATE INDEX ix_privacy_exports_shop ON privacy_exports (shop, id);
