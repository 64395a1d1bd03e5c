using System.Data.Common;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Privacy;

/// <summary>Who a privacy request is about: Shopify's customer id and email, matched both ways.</summary>
public sealed record Subject(string Shop, long? CustomerId, string? Email, IReadOnlyList<long> OrderIds)
{
    public string? EmailKey => Identity.Email(Email);

    /// <summary>Everything the app holds about the subject, table by table.</summary>
    public async Task<Dictionary<string, object>> CollectAsync(DbConnection conn)
    {
        var args = new { shop = Shop, cid = CustomerId, email = Email?.ToLowerInvariant() };
        // Matched by order id too, in chunks (Db.MaxListParameters); a row matched by several chunks is listed once.
        var orders = new List<dynamic>();
        var asFriend = new List<dynamic>();
        foreach (var ids in OrderIds.DefaultIfEmpty(-1).Chunk(Db.MaxListParameters))
        {
            var chunk = new { shop = Shop, cid = CustomerId, key = EmailKey, email = Email?.ToLowerInvariant(), ids };
            orders.AddRange(await conn.QueryAsync(
                "SELECT * FROM orders WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR email_key = @key OR LOWER(email) = @email OR order_id IN @ids)", chunk));
            asFriend.AddRange(await conn.QueryAsync(
                "SELECT * FROM referrals WHERE shop = @shop AND ((@cid IS NOT NULL AND friend_customer_id = @cid) OR LOWER(friend_email) = @email OR order_id IN @ids)", chunk));
        }
        return new()
        {
            ["orders"] = Rows(Once(orders, "order_id")),
            ["referrer"] = Rows(await conn.QueryAsync("SELECT * FROM referrers WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR LOWER(email) = @email)", args)),
            ["referrals_as_friend"] = Rows(Once(asFriend, "id")),
            ["referrals_as_referrer"] = Rows(await conn.QueryAsync(
                "SELECT f.* FROM referrals f JOIN referrers r ON r.id = f.referrer_id WHERE r.shop = @shop AND r.customer_id = @cid", args)),
            ["rewards"] = Rows(await conn.QueryAsync(
                "SELECT w.* FROM rewards w JOIN referrers r ON r.id = w.referrer_id WHERE r.shop = @shop AND r.customer_id = @cid", args)),
        };
    }

    /// <summary>
    /// Each row as column → value, the stored Unix-ms times (columns ending _at or _until) as ISO 8601 UTC: the export
    /// is read by a person (and the merchant's tools), like every other answer of the API.
    /// </summary>
    private static List<Dictionary<string, object?>> Rows(IEnumerable<dynamic> rows) =>
        rows.Select(row => ((IDictionary<string, object?>)row).ToDictionary(c => c.Key, c =>
            c.Value is long ms && (c.Key.EndsWith("_at", StringComparison.Ordinal) || c.Key.EndsWith("_until", StringComparison.Ordinal))
                ? ApiTime.Text(ms)
                : c.Value)).ToList();

    private static IEnumerable<dynamic> Once(List<dynamic> rows, string key) =>
        rows.DistinctBy(r => ((IDictionary<string, object>)r)[key]);
}
