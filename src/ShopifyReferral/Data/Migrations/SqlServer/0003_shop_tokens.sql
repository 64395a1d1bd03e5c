-- One offline token per shop. Expiring tokens (required for public apps from 2027-01-01) come with a
-- refresh token that Shopify rotates on every use, so both are replaced together.
CREATE TABLE shop_tokens (
    shop                      NVARCHAR(255)  NOT NULL PRIMARY KEY,
    access_token              NVARCHAR(512)  NOT NULL,
    access_token_expires_at   BIGINT         NULL,
    refresh_token             NVARCHAR(512)  NULL,
    refresh_token_expires_at  BIGINT         NULL,
    scope                     NVARCHAR(1000) NOT NULL,
    updated_at                BIGINT         NOT NULL
);
