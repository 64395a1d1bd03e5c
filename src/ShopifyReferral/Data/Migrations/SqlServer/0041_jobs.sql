-- See the SQLite twin for the reasoning.
CREATE TABLE jobs (
    id          BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    kind        NVARCHAR(32)  NOT NULL,
    subject     NVARCHAR(255) NOT NULL,
    shop        NVARCHAR(255) NOT NULL,
    status      NVARCHAR(16)  NOT NULL,
    due_at      BIGINT        NOT NULL,
    lease_owner NVARCHAR(64)  NULL,
    attempts    INT           NOT NULL DEFAULT 0,
    wakes       INT           NOT NULL DEFAULT 0,
    last_error  NVARCHAR(MAX) NULL,
    created_at  BIGINT        NOT NULL,
    updated_at  BIGINT        NOT NULL,
    CONSTRAINT uq_jobs_kind_subject UNIQUE (kind, subject)
);
CREATE INDEX ix_jobs_due ON jobs (due_at, id) WHERE status IN ('queued', 'running');

INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'reward.issue', CAST(id AS NVARCHAR(32)), shop, 'queued', 0, 0, 0 FROM rewards WHERE status = 'owed';
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'referral.release', CAST(id AS NVARCHAR(32)), shop, 'queued', COALESCE(hold_until, 0), 0, 0 FROM referrals
WHERE status = 'approved' OR (status = 'pending' AND paid_at IS NOT NULL);
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'code.sync', CAST(id AS NVARCHAR(32)), shop, 'queued', COALESCE(code_due_at, 0), 0, 0 FROM referrers
WHERE code_status = 'pending' OR code_due_at IS NOT NULL;
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'reward.thank', CAST(w.id AS NVARCHAR(32)), w.shop, 'queued', 0, 0, 0 FROM rewards w
WHERE w.status IN ('issued', 'redeemed') AND w.issued_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM reward_thanks t WHERE t.reward_id = w.id);
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT DISTINCT 'reward.clawback', CAST(r.id AS NVARCHAR(32)), r.shop, 'queued', 0, 0, 0 FROM referrals r
JOIN rewards w ON w.referral_id = r.id AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed')
WHERE r.status = 'voided';
