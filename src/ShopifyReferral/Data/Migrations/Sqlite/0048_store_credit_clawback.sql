-- Store credit clawback. A debit has no key of ours in Shopify, so each one is written here first, durably, under a
-- key naming its purpose (UNIQUE): 'clawback:<reward>' takes back a voided referral's credit, 'debt:<reward>:<later
-- reward>' collects spent credit from a later reward. A row still in_flight after a crash is looked for among the
-- account's debits before anything is sent again; at most one debit per key ever reaches Shopify.
CREATE TABLE store_credit_debits (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    shop            TEXT    NOT NULL,
    debit_key       TEXT    NOT NULL UNIQUE,
    reward_id       INTEGER NOT NULL,   -- the reward clawed back
    against_reward_id INTEGER NULL,   -- for a debt: the later reward it was taken from
    account_gid     TEXT    NOT NULL,
    currency        TEXT    NOT NULL,
    amount_minor    INTEGER NOT NULL,
    status          TEXT    NOT NULL,   -- in_flight | done
    transaction_gid TEXT    NULL,
    started_at      INTEGER NOT NULL,
    done_at         INTEGER NULL
);
CREATE INDEX ix_store_credit_debits_against ON store_credit_debits (against_reward_id);

-- The outcome of one store credit reward's clawback (one row per reward): what was owed back, what the debit took,
-- and what had been spent: a loss, or (the program's spentCredit setting) a debt collected from later rewards.
CREATE TABLE store_credit_clawbacks (
    reward_id       INTEGER NOT NULL PRIMARY KEY,
    shop            TEXT    NOT NULL,
    referrer_id     INTEGER NOT NULL,
    currency        TEXT    NOT NULL,
    owed_minor      INTEGER NOT NULL,
    debited_minor   INTEGER NOT NULL,
    spent_minor     INTEGER NOT NULL,
    spent_as        TEXT    NOT NULL,   -- none | loss | debt
    collected_minor INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL
);
CREATE INDEX ix_store_credit_clawbacks_debt ON store_credit_clawbacks (referrer_id, currency) WHERE spent_as = 'debt';
