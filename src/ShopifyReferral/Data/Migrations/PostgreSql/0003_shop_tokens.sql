-- See the SQLite twin for the reasoning.
CREATE TABLE shop_tokens (
    shop                      TEXT   NOT NULL PRIMARY KEY,
    access_token              TEXT   NOT NULL,
    access_token_expires_at   BIGINT NULL,
    refresh_token             TEXT   NULL,
    refresh_token_expires_at  BIGINT NULL,
    scope                     TEXT   NOT NULL,
    updated_at                BIGINT NOT NULL
);
