-- See the SQLite twin for the reasoning.
CREATE TABLE page_view_days (
    shop     TEXT   NOT NULL,
    day      BIGINT NOT NULL,
    surface  TEXT   NOT NULL,
    views    BIGINT NOT NULL,
    PRIMARY KEY (shop, day, surface)
);
ALTER TABLE orders ADD COLUMN landing_channel TEXT NULL;
ALTER TABLE referrals ADD COLUMN channel TEXT NULL;
