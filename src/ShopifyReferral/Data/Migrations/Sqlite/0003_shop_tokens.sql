-- One offline token per shop. Expiring tokens (required for public apps from 2027-01-01) come with a
-- refresh token that Shopify rotates on every use, so both are replaced together.
CREATE TABLE shop_tokens (
    shop                      TEXT    NOT NULL PRIMARY KEY,
    access_token              TEXT    NOT NULL,
    access_token_expires_at   INTEGER NULL,     -- NULL: a non-expiring token
    refresh_token             TEXT    NULL,
    refresh_token_expires_at  INTEGER NULL,
    scope                     TEXT    NOT NULL,
    updated_at                INTEGER NOT NULL
);
