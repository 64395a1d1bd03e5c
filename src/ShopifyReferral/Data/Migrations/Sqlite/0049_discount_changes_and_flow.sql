-- A merchant's edit or deletion, in the Shopify admin, of a code we made (a referrer's code or a reward code), as
-- the discounts/* webhooks told it. One row per delivery and code (the UNIQUE key), so a redelivery adds nothing.
CREATE TABLE discount_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop         TEXT    NOT NULL,
    webhook_id   TEXT    NOT NULL,
    topic        TEXT    NOT NULL,   -- discounts/update | discounts/delete | discounts/redeemcode_removed
    discount_gid TEXT    NOT NULL,
    code         TEXT    NOT NULL,
    owner        TEXT    NOT NULL,   -- referrer | reward
    owner_id     INTEGER NOT NULL,   -- referrers.id or rewards.id
    detail       TEXT    NULL,       -- for an update: the title and status Shopify sent
    occurred_at  INTEGER NOT NULL,
    UNIQUE (webhook_id, code)
);
CREATE INDEX ix_discount_changes_shop ON discount_changes (shop, id);

-- The daily usage check: Shopify's asyncUsageCount of each referrer code beside the referrals recorded for it.
-- One row per referrer, replaced by each check; a difference means missed orders or a leaked code.
CREATE TABLE code_usage_checks (
    referrer_id INTEGER NOT NULL PRIMARY KEY,
    shop        TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    shopify_uses INTEGER NOT NULL,
    referrals   INTEGER NOT NULL,
    checked_at  INTEGER NOT NULL
);
CREATE INDEX ix_code_usage_checks_shop ON code_usage_checks (shop);

-- Shopify Flow. Which of our triggers each shop has a workflow on, as the lifecycle callback said (only those are
-- sent); changed_at is the callback's own timestamp, so a late callback never undoes a newer one.
CREATE TABLE flow_triggers (
    shop       TEXT    NOT NULL,
    handle     TEXT    NOT NULL,
    enabled    INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (shop, handle)
);

-- One flowTriggerReceive per event and trigger (the UNIQUE key), written in_flight before the call: Flow keeps no key
-- of ours, so a send whose answer was lost is never repeated (at most once), and two instances never both send.
CREATE TABLE flow_sends (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    shop       TEXT    NOT NULL,
    event_id   TEXT    NOT NULL,
    handle     TEXT    NOT NULL,
    status     TEXT    NOT NULL,   -- in_flight | sent | failed
    error      TEXT    NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER NULL,
    UNIQUE (event_id, handle)
);

-- The Flow action "Enrol customer as referrer": one row per action_run_id (its key), written once the enrolment
-- committed, so Flow's retry of a run that was done answers 200 without doing it again.
CREATE TABLE flow_action_runs (
    action_run_id TEXT    NOT NULL PRIMARY KEY,
    shop          TEXT    NOT NULL,
    customer_id   INTEGER NOT NULL,
    referrer_id   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
);
