-- See the SQLite twin for the reasoning.
CREATE TABLE share_click_days (
    shop     NVARCHAR(255) NOT NULL,
    day      BIGINT        NOT NULL,
    channel  NVARCHAR(16)  NOT NULL,
    clicks   BIGINT        NOT NULL,
    PRIMARY KEY (shop, day, channel)
);
INSERT INTO share_click_days (shop, day, channel, clicks)
SELECT shop, clicked_at / 86400000, channel, COUNT_BIG(*) FROM share_clicks GROUP BY shop, clicked_at / 86400000, channel;
