-- Issue 14 part 2, the funnel: referral page views, share clicks, referred orders and rewarded referrals per channel.
--
-- Page views are a counter per shop, UTC day and surface, incremented with an upsert (Storefront/PageViews.cs), not a
-- row per view: the funnel only ever asks "how many views in the range", a view carries nothing else worth keeping
-- (no referrer or customer id, so nothing for a customer redaction to find), and a bot reloading the page bumps a
-- number instead of growing the table: at most 3 surfaces × 365 rows per shop a year, whatever the traffic.
-- day = Unix ms of the UTC midnight, so the analytics range [from, to) of UTC midnights compares directly.
CREATE TABLE page_view_days (
    shop     TEXT    NOT NULL,
    day      INTEGER NOT NULL,
    surface  TEXT    NOT NULL,   -- 'referral_page' (storefront app proxy), 'thank_you' (thank-you/order-status block), 'account' (customer-account page)
    views    INTEGER NOT NULL,
    PRIMARY KEY (shop, day, surface)
);
-- The channel a referred order came through, from the order's landing_site (the tracked link /r/{code}?ch= adds
-- ref_ch= to the shop's discount link it redirects to; Referrals/LandingChannel.cs). Kept on the order by the recorder
-- (every webhook delivery carries landing_site; a reconciled copy does not, and leaves it NULL) and copied onto the
-- referral in the INSERT that creates it, so matching costs no extra statement. NULL = unknown (rows from before
-- this migration, orders only reconciliation saw).
ALTER TABLE orders ADD COLUMN landing_channel TEXT NULL;
ALTER TABLE referrals ADD COLUMN channel TEXT NULL;
