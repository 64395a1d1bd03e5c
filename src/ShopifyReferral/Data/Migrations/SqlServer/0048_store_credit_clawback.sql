-- See the SQLite twin for the reasoning.
CREATE TABLE store_credit_debits (
    id              BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop            NVARCHAR(255) NOT NULL,
    debit_key       NVARCHAR(128) NOT NULL,
    reward_id       BIGINT        NOT NULL,
    against_reward_id BIGINT        NULL,
    account_gid     NVARCHAR(255) NOT NULL,
    currency        NVARCHAR(8)   NOT NULL,
    amount_minor    BIGINT        NOT NULL,
    status          NVARCHAR(16)  NOT NULL,
    transaction_gid NVARCHAR(255) NULL,
    started_at      BIGINT        NOT NULL,
    done_at         BIGINT        NULL,
    CONSTRAINT uq_store_credit_debits_key UNIQUE (debit_key)
);
CREATE INDEX ix_store_credit_debits_against ON store_credit_debits (against_reward_id);

CREATE TABLE store_credit_clawbacks (
    reward_id       BIGINT        NOT NULL PRIMARY KEY,
    shop            NVARCHAR(255) NOT NULL,
    referrer_id     BIGINT        NOT NULL,
    currency        NVARCHAR(8)   NOT NULL,
    owed_minor      BIGINT        NOT NULL,
    debited_minor   BIGINT        NOT NULL,
    spent_minor     BIGINT        NOT NULL,
    spent_as        NVARCHAR(16)  NOT NULL,
    collected_minor BIGINT        NOT NULL DEFAULT 0,
    created_at      BIGINT        NOT NULL
);
CREATE INDEX ix_store_credit_clawbacks_debt ON store_credit_clawbacks (referrer_id, currency) WHERE spent_as = 'debt';
