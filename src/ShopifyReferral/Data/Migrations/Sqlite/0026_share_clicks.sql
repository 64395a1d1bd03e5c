-- Tracked share clicks (/r/{code}?ch=channel) are the storefront feature's table; the KPIs read shop, channel and
-- clicked_at. IF NOT EXISTS: when the storefront's own migration (a lower number) created it first, this is a no-op.
CREATE TABLE IF NOT EXISTS share_clicks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop         TEXT    NOT NULL,
    referrer_id  INTEGER NOT NULL REFERENCES referrers (id),
    channel      TEXT    NOT NULL,   -- as given by ?ch=, lower case; 'direct' when absent
    clicked_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_share_clicks_shop_time ON share_clicks (shop, clicked_at);
