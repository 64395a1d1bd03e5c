-- Issue 14: on a year of a busy shop the report read every share click of the range twice (per bucket and channel,
-- then per channel for the funnel): 250,000 rows at 1,000,000 orders. It only ever counts clicks per channel, so a
-- counter per shop, UTC day (days since 1970, as order_days) and channel answers it exactly for whole-day ranges,
-- at most a row per day and channel. Storefront/ShareClicks.cs bumps it in the transaction that inserts the click;
-- the raw rows stay (ranges that don't start on a day, click-farm checks). The statement after the table fills it
-- for the clicks recorded so far; `analytics rebuild` runs the same (Referrals/AnalyticsRollups.Rebuild.cs). Like
-- page_view_days it names no one, so only shop/redact (every table with a shop column) removes it.
CREATE TABLE share_click_days (
    shop     TEXT    NOT NULL,
    day      INTEGER NOT NULL,
    channel  TEXT    NOT NULL,
    clicks   INTEGER NOT NULL,
    PRIMARY KEY (shop, day, channel)
);
INSERT INTO share_click_days (shop, day, channel, clicks)
SELECT shop, clicked_at / 86400000, channel, COUNT(*) FROM share_clicks GROUP BY shop, clicked_at / 86400000, channel;
