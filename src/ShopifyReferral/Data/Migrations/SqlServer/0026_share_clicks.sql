-- See the SQLite twin: created only when the storefront's migration has not created it already.
IF OBJECT_ID(N'share_clicks', N'U') IS NULL
BEGIN
    CREATE TABLE share_clicks (
        id           BIGINT IDENTITY(1,1) NOT NULL PRIMARY KEY,
        shop         NVARCHAR(255) NOT NULL,
        referrer_id  BIGINT        NOT NULL REFERENCES referrers (id),
        channel      NVARCHAR(64)  NOT NULL,
        clicked_at   BIGINT        NOT NULL
    );
    CREATE INDEX ix_share_clicks_shop_time ON share_clicks (shop, clicked_at);
END
