-- See the SQLite twin for the reasoning.
ALTER TABLE referrers ADD code_gid NVARCHAR(255) NULL, code_shopify_state NVARCHAR(16) NULL, code_due_at BIGINT NULL,
    code_lease_owner NVARCHAR(64) NULL;
-- EXEC: the batch is compiled before the ALTER runs, so the new columns are only visible to a later statement.
EXEC('UPDATE referrers SET code_shopify_state = ''active'' WHERE code_status = ''live''');
EXEC('UPDATE referrers SET code_due_at = 0 WHERE code_status = ''live'' AND blocked = 1');
EXEC('CREATE INDEX ix_referrers_code_due ON referrers (code_due_at) WHERE code_due_at IS NOT NULL');

CREATE TABLE referral_decisions (
    id           BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    referral_id  BIGINT        NOT NULL REFERENCES referrals (id),
    at           BIGINT        NOT NULL,
    actor        NVARCHAR(16)  NOT NULL,
    action       NVARCHAR(16)  NOT NULL,
    status       NVARCHAR(16)  NOT NULL,
    reason       NVARCHAR(MAX) NULL
);
CREATE INDEX ix_referral_decisions_referral ON referral_decisions (referral_id, id);
