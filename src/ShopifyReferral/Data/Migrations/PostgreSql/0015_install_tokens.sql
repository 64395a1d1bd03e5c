-- See the SQLite twin for the reasoning.
CREATE TABLE oauth_states (
    state       TEXT   NOT NULL PRIMARY KEY,
    shop        TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);

ALTER TABLE shop_tokens ADD COLUMN refresh_lease_owner TEXT NULL,
    ADD COLUMN refresh_lease_until BIGINT NULL;
