using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Storefront;

/// <summary>
/// Counts views of the pages where a shopper meets the program: the funnel's first step (README, "KPIs"). One
/// counter row per shop, UTC day and surface, bumped by one upsert in the request (migration 0052 says why not a row
/// per view): a cheap indexed statement, so it runs in the request rather than through a queue, and a bot reloading
/// a page only makes a number bigger. The rows name no one, so a customer's erasure has nothing here to remove;
/// shop/redact deletes them with every other table that has a shop column.
/// </summary>
public sealed class PageViews(Db db, TimeProvider time)
{
    /// <summary>The storefront referral page (app proxy, GET /proxy).</summary>
    public const string ReferralPage = "referral_page";

    /// <summary>The thank-you and order-status block, when it shows (POST /extensions/referral).</summary>
    public const string ThankYou = "thank_you";

    /// <summary>The referrer's page in customer accounts (GET /extensions/referrer).</summary>
    public const string Account = "account";

    public static readonly string[] Surfaces = [ReferralPage, ThankYou, Account];

    public async Task CountAsync(string shop, string surface, CancellationToken ct)
    {
        var day = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(db.Dialect.CountPageView, new { shop, day, surface }, cancellationToken: ct));
    }
}
