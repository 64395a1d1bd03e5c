-- One queue for every side effect on Shopify (make a code live or switch it, release a hold and owe its rewards,
-- issue a reward, claw one back, thank a referrer) and for the app's periodic work (reconcile, prune the inbox).
-- A job is written in the same transaction as the decision that calls for it, one row per (kind, subject): asking
-- again for a job that exists wakes it (wakes + 1) instead of adding a second row, so a wish that arrives while the
-- job runs makes it run once more afterwards. Leased like the inbox: a running job's due_at is its lease's end, so a
-- crashed worker's job is claimed again when the lease runs out.
CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    shop        TEXT    NOT NULL,
    status      TEXT    NOT NULL,   -- queued | running | done | failed
    due_at      INTEGER NOT NULL,
    lease_owner TEXT    NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    wakes       INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (kind, subject)
);
-- Claims read only waiting and running jobs, oldest due first; finished ones stay out of the index.
CREATE INDEX ix_jobs_due ON jobs (due_at, id) WHERE status IN ('queued', 'running');

-- Work a database from before the queue already owes, so none is lost in the upgrade (due at once; each handler
-- re-checks the state it acts on, so a job with nothing left to do simply ends).
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'reward.issue', CAST(id AS TEXT), shop, 'queued', 0, 0, 0 FROM rewards WHERE status = 'owed';
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'referral.release', CAST(id AS TEXT), shop, 'queued', COALESCE(hold_until, 0), 0, 0 FROM referrals
WHERE status = 'approved' OR (status = 'pending' AND paid_at IS NOT NULL);
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'code.sync', CAST(id AS TEXT), shop, 'queued', COALESCE(code_due_at, 0), 0, 0 FROM referrers
WHERE code_status = 'pending' OR code_due_at IS NOT NULL;
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT 'reward.thank', CAST(w.id AS TEXT), w.shop, 'queued', 0, 0, 0 FROM rewards w
WHERE w.status IN ('issued', 'redeemed') AND w.issued_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM reward_thanks t WHERE t.reward_id = w.id);
INSERT INTO jobs (kind, subject, shop, status, due_at, created_at, updated_at)
SELECT DISTINCT 'reward.clawback', CAST(r.id AS TEXT), r.shop, 'queued', 0, 0, 0 FROM referrals r
JOIN rewards w ON w.referral_id = r.id AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed')
WHERE r.status = 'voided';
