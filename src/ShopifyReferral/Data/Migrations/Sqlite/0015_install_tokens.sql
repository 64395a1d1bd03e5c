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
