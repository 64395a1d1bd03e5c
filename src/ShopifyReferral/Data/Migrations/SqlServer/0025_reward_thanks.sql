-- See the SQLite twin for the reasoning.
CREATE TABLE reward_thanks (
    reward_id    BIGINT        NOT NULL PRIMARY KEY REFERENCES rewards (id),
    shop         NVARCHAR(255) NOT NULL,
    customer_id  BIGINT        NOT NULL,
    thanked_at   BIGINT        NOT NULL
);
