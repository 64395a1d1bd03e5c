-- One row per click on a shared referral link (/r/{code}?ch=channel). The shopper's IP is never stored: only an
-- HMAC of it with a server-side salt, enough to count distinct visitors and spot click farms.
-- The dashboard's KPIs read shop, channel and clicked_at (its own later migration is IF NOT EXISTS).
CREATE TABLE share_clicks (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    shop         TEXT    NOT NULL,
    referrer_id  INTEGER NOT NULL REFERENCES referrers (id),
    code         TEXT    NOT NULL,
    channel      TEXT    NOT NULL,   -- lower case; 'direct' when ?ch= is absent, 'other' when unknown
    ip_hash      TEXT    NULL,
    clicked_at   INTEGER NOT NULL
);
CREATE INDEX ix_share_clicks_shop_time ON share_clicks (shop, clicked_at);
CREATE INDEX ix_share_clicks_referrer ON share_clicks (referrer_id, clicked_at);
