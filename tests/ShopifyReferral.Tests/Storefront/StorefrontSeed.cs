using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>Shops, referrers and the referral/reward rows the engine would have written, for storefront tests.</summary>
public static class StorefrontSeed
{
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        // No background work: the code sync would call Shopify for shops that have no token here.
        var s = new Dictionary<string, string?> { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" };
        foreach (var (k, v) in more ?? []) s[k] = v;
        return s;
    }

    public static Task InstallAsync(TestApp app, string shop) =>
        app.Service<ShopStore>().MarkInstalledAsync(shop, DateTimeOffset.UtcNow);

    public static Task<Referrer> EnrolAsync(TestApp app, string shop, long customerId, string firstName = "Jane") =>
        app.Service<ReferrerService>().EnrolAsync(shop, customerId, $"{firstName.ToLowerInvariant()}@example.com", firstName, "Doe");

    /// <summary>A referral in the given status for order #{orderId}, and when asked a reward for it.</summary>
    public static long AddReferral(TestApp app, Referrer r, long orderId, string status, string? rewardStatus = null, string? rewardCode = null,
        long rewardCents = 1000)
    {
        using var conn = app.OpenDb();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = conn.ExecuteScalar<long>("""
            INSERT INTO referrals (shop, order_id, order_name, referrer_id, code, friend_email, program_version, status, currency,
                                   order_subtotal_minor, order_updated_at, created_at, updated_at, hold_until)
            VALUES (@Shop, @orderId, '#' || @orderId, @Id, @Code, 'friend@example.com', 1, @status, 'EUR', 9000, @now, @now, @now, @hold)
            RETURNING id
            """, new { r.Shop, orderId, r.Id, r.Code, status, now, hold = status == "pending" ? now + 86_400_000L * 14 : (long?)null });
        if (rewardStatus is not null)
            conn.Execute("""
                INSERT INTO rewards (shop, idempotency_key, referrer_id, referral_id, kind, reward_type, amount_minor, currency, code, status, expires_at, created_at)
                VALUES (@Shop, @key, @Id, @referralId, 'referral', 'fixed_amount', @rewardCents, 'EUR', @rewardCode, @rewardStatus, @expires, @now)
                """, new { r.Shop, key = $"{id}:referral", r.Id, referralId = id, rewardCode, rewardStatus, rewardCents, expires = now + 86_400_000L * 90, now });
        return id;
    }
}
