-- One-time OAuth `state` values: the install step writes one, the callback deletes it (a DELETE that hits one
-- row is the check), so a state is good once, for one shop, until it expires, on any instance.
CREATE TABLE oauth_states (
    state       TEXT    NOT NULL PRIMARY KEY,
    shop        TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- One refresh at a time per shop across instances: a refresher takes this lease with a conditional UPDATE.
-- The tokens themselves are now Data Protection ciphertext in the same columns.
ALTER TABLE shop_tokens ADD COLUMN refresh_lease_owner TEXT NULL;
ALTER TABLE shop_tokens ADD COLUMN refresh_lease_until INTEGER NULL;

-- customers/data_request answers, kept for the merchant to fetch (GET /api/privacy/exports/{id}).
-- UNIQUE per Shopify data_request id: a redelivered request stores one export.
CREATE TABLE privacy_exports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    shop             TEXT    NOT NULL,
    data_request_id  INTEGER NOT NULL,
    customer_id      INTEGER NULL,
    export           TEXT    NOT NULL,   -- JSON: everything held about the customer when the request came
    created_at       INTEGER NOT NULL,
    CONSTRAINT ux_privacy_exports_request UNIQUE (shop, data_request_id)
);
