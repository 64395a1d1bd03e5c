using System.Data.Common;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// The referral room's part of a customer's erasure (Privacy asks, in its transaction): orders, referrers, referrals
/// and the evidence and decisions that quote them. Emails, names, phones, addresses, IPs and browsers go; customer ids
/// become a pseudonym so counts still add up.
/// </summary>
public static class CustomerRedaction
{
    public const string Redacted = "Redacted at the customer's request.";

    /// <param name="orderIds">Orders of the subject (at most <see cref="Db.MaxListParameters"/>): matched besides customer and email.</param>
    public static async Task RedactAsync(DbConnection conn, DbTransaction tx, string shop, long? customerId, long? pseudonym,
        string? email, string? emailKey, long[] orderIds)
    {
        var a = new { shop, cid = customerId, pseudo = pseudonym, key = emailKey, email = email?.ToLowerInvariant(), ids = orderIds, why = Redacted };
        var d = SqlDialect.Of(conn);
        await conn.ExecuteAsync($"""
            UPDATE orders SET email = NULL, email_key = NULL, phone = NULL, shipping_fingerprint = NULL, browser_ip = NULL,
                user_agent = NULL, customer_id = CASE WHEN customer_id = @cid THEN @pseudo ELSE customer_id END,
                rolled_customer_id = CASE WHEN rolled_customer_id = @cid THEN @pseudo ELSE rolled_customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR email_key = @key OR LOWER(email) = @email OR {d.InList("order_id", "@ids")})
            """, a, tx);
        // The analytics rollup moves with the orders: the same orders, under the pseudonym (AnalyticsRollups).
        await conn.ExecuteAsync("UPDATE customer_facts SET customer_id = @pseudo WHERE shop = @shop AND customer_id = @cid AND @pseudo IS NOT NULL", a, tx);
        await conn.ExecuteAsync("DELETE FROM customer_facts WHERE shop = @shop AND customer_id = @cid AND @pseudo IS NULL", a, tx);
        // The rules' evidence and the decisions quoting it (or a merchant's words) name emails and IPs.
        var theirReferrals = $"""
            SELECT f.id FROM referrals f JOIN referrers r ON r.id = f.referrer_id
            WHERE f.shop = @shop AND ((@cid IS NOT NULL AND (f.friend_customer_id = @cid OR r.customer_id = @cid))
                  OR LOWER(f.friend_email) = @email OR LOWER(r.email) = @email OR {d.InList("f.order_id", "@ids")})
            """;
        await conn.ExecuteAsync($"UPDATE referral_checks SET evidence = @why WHERE referral_id IN ({theirReferrals})", a, tx);
        await conn.ExecuteAsync($"UPDATE referral_decisions SET reason = @why WHERE reason IS NOT NULL AND referral_id IN ({theirReferrals})", a, tx);
        await conn.ExecuteAsync($"""
            UPDATE referrals SET friend_email = NULL,
                friend_customer_id = CASE WHEN friend_customer_id = @cid THEN @pseudo ELSE friend_customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND friend_customer_id = @cid) OR LOWER(friend_email) = @email OR {d.InList("order_id", "@ids")})
            """, a, tx);
    }

    /// <summary>The referrer's own row: after the orders, whose match reads the referrer's email.</summary>
    public static Task RedactReferrerAsync(DbConnection conn, DbTransaction tx, string shop, long? customerId, long? pseudonym, string? email) =>
        conn.ExecuteAsync("""
            UPDATE referrers SET email = NULL, first_name = NULL, last_name = NULL,
                customer_id = CASE WHEN customer_id = @cid THEN @pseudo ELSE customer_id END
            WHERE shop = @shop AND ((@cid IS NOT NULL AND customer_id = @cid) OR LOWER(email) = @email)
            """, new { shop, cid = customerId, pseudo = pseudonym, email = email?.ToLowerInvariant() }, tx);

    /// <summary>shop/redact: the rows with no shop column of their own (a referral's checks and decisions), before the referrals go.</summary>
    public static async Task<int> DeleteShopDetailsAsync(DbConnection conn, DbTransaction tx, string shop) =>
        await conn.ExecuteAsync("DELETE FROM referral_checks WHERE referral_id IN (SELECT id FROM referrals WHERE shop = @shop)", new { shop }, tx)
        + await conn.ExecuteAsync("DELETE FROM referral_decisions WHERE referral_id IN (SELECT id FROM referrals WHERE shop = @shop)", new { shop }, tx);
}
