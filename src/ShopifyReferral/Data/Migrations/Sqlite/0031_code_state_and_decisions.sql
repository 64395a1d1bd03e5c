-- Blocking a referrer switches their code off in Shopify (discountCodeDeactivate); unblocking switches it on again.
-- The wish is referrers.blocked, written in the merchant's request. ReferrerCodeSync makes Shopify match it in the
-- background and records what Shopify confirmed, so a crash or a Shopify outage delays the change but never loses it,
-- and a quick block-then-unblock ends with the last wish.
ALTER TABLE referrers ADD COLUMN code_gid TEXT NULL;            -- the code's DiscountCodeNode, once live
ALTER TABLE referrers ADD COLUMN code_shopify_state TEXT NULL;  -- active | inactive, as Shopify last answered; NULL: as created, active
ALTER TABLE referrers ADD COLUMN code_due_at INTEGER NULL;      -- the wish may differ from Shopify: sync from then (a lease while a sync holds it)
ALTER TABLE referrers ADD COLUMN code_lease_owner TEXT NULL;    -- the sync changing the code's state in Shopify now
UPDATE referrers SET code_shopify_state = 'active' WHERE code_status = 'live';
-- Referrers blocked before this version kept a working code: switch those off now.
UPDATE referrers SET code_due_at = 0 WHERE code_status = 'live' AND blocked = 1;
CREATE INDEX ix_referrers_code_due ON referrers (code_due_at) WHERE code_due_at IS NOT NULL;

-- Every status change of a referral, written in the same transaction as the change: who or what decided (the
-- engine's rules, the merchant, or the system's hold sweeper and reward issuer), when, what, and why. The
-- referral's status_reason only holds the latest reason; this keeps each one, e.g. a merchant's approval reason
-- after the hold sweeper releases the referral.
CREATE TABLE referral_decisions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id  INTEGER NOT NULL REFERENCES referrals (id),
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL,   -- engine | merchant | system
    action       TEXT    NOT NULL,   -- hold | review | approve | reject | release | reward | void
    status       TEXT    NOT NULL,   -- the referral's status after it
    reason       TEXT    NULL        -- in words a merchant can read; the merchant's own words for their decisions
);
CREATE INDEX ix_referral_decisions_referral ON referral_decisions (referral_id, id);
