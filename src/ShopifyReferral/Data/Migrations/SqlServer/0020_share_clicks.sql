-- See the SQLite twin for the reasoning.
CREATE TABLE share_clicks (
    id           BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    shop         NVARCHAR(255) NOT NULL,
    referrer_id  BIGINT        NOT NULL REFERENCES referrers (id),
    code         NVARCHAR(64)  NOT NULL,
    channel      NVARCHAR(16)  NOT NULL,
    ip_hash      NVARCHAR(64)  NULL,
    clicked_at   BIGINT        NOT NULL
);
CREATE INDEX ix_share_clicks_shop_time ON share_clicks (shop, clicked_at);
CREATE INDEX ix_share_clicks_referrer ON share_clicks (referrer_id, clicked_at);
