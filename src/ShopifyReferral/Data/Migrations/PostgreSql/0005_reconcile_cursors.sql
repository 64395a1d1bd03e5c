-- How far reconciliation has read each shop's orders (by updated_at), so each run asks only for what is new.
CREATE TABLE reconcile_cursors (
    shop          TEXT   NOT NULL PRIMARY KEY,
    updated_since BIGINT NOT NULL,
    run_at        BIGINT NOT NULL
);
