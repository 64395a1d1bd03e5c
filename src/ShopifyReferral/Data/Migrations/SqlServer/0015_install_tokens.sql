-- One-time OAuth `state` values: the install step writes one, the callback deletes it (a DELETE that hits one
-- row is the check), so a state is good once, for one shop, until it expires, on any instance.
CREATE TABLE oauth_states (
    state       NVARCHAR(100) NOT NULL PRIMARY KEY,
    shop        NVARCHAR(255) NOT NULL,
    expires_at  BIGINT        NOT NULL
);

-- One refresh at a time per shop across instances; tokens are now Data Protection ciphertext (longer).
ALTER TABLE shop_tokens ADD refresh_lease_owner NVARCHAR(64) NULL, refresh_lease_until BIGINT NULL;
ALTER TABLE shop_tokens ALTER COLUMN access_token NVARCHAR(2000) NOT NULL;
ALTER TABLE shop_tokens ALTER COLUMN refresh_token NVARCHAR(2000) NULL;
