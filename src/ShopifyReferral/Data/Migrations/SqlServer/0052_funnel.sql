-- See the SQLite twin for the reasoning.
CREATE TABLE page_view_days (
    shop     NVARCHAR(255) NOT NULL,
    day      BIGINT        NOT NULL,
    surface  NVARCHAR(16)  NOT NULL,
    views    BIGINT        NOT NULL,
    PRIMARY KEY (shop, day, surface)
);
ALTER TABLE orders ADD landing_channel NVARCHAR(16) NULL;
ALTER TABLE referrals ADD channel NVARCHAR(16) NULL;
