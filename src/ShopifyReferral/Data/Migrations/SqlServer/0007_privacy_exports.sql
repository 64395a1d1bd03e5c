-- customers/data_request: what the app holds about a customer, kept for the merchant to fetch and send on.
CREATE TABLE privacy_exports (
    id            BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop          NVARCHAR(255) NOT NULL,
    customer_id   BIGINT NULL,
    email         NVARCHAR(255) NULL,
    request_id    NVARCHAR(255) NULL,
    body          NVARCHAR(MAX) NOT NULL,   -- the JSON export
    created_at    BIGINT NOT NULL
);
CREATE INDEX ix_privacy_exports_shop ON privacy_exports (shop, id);
