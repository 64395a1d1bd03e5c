using ShopifyReferral.Discounts;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Merchant;

/// <summary>A merchant's change to one of our codes, as the dashboard lists it.</summary>
public sealed record DiscountChange(long Id, string Topic, string Code, string Owner, long OwnerId, string DiscountGid, string? Detail, DateTimeOffset OccurredAt);

/// <summary>One referrer code's last usage check; Difference is Shopify's uses minus the referrals recorded.</summary>
public sealed record CodeUsage(long ReferrerId, string Code, long ShopifyUses, long Referrals, long Difference, DateTimeOffset CheckedAt);

/// <summary>GET /api/discounts/changes and GET /api/discounts/usage, shop-scoped like the rest of /api.</summary>
public static class DiscountsApi
{
    public static RouteGroupBuilder MapDiscountsApi(this RouteGroupBuilder api)
    {
        var discounts = api.MapGroup("/discounts").WithTags("Discounts");
        discounts.MapGet("/changes", async (HttpContext http, Db db, int? limit) =>
        {
            await using var conn = await db.OpenAsync(http.RequestAborted);
            var rows = await conn.QueryAsync<(long Id, string Topic, string Code, string Owner, long OwnerId, string Gid, string? Detail, long At)>(
                db.FirstRows("""
                    SELECT id, topic, code, owner, owner_id, discount_gid, detail, occurred_at FROM discount_changes
                    WHERE shop = @shop ORDER BY id DESC
                    """), new { shop = http.ShopSession().Shop, limit = Math.Clamp(limit ?? 100, 1, 500) });
            return TypedResults.Ok(rows.Select(r => new DiscountChange(r.Id, r.Topic, r.Code, r.Owner, r.OwnerId, r.Gid, r.Detail,
                DateTimeOffset.FromUnixTimeMilliseconds(r.At))).ToList());
        });
        // Only the codes whose counts differ, unless all=true.
        discounts.MapGet("/usage", async (HttpContext http, Db db, bool? all) =>
        {
            await using var conn = await db.OpenAsync(http.RequestAborted);
            var rows = await conn.QueryAsync<(long ReferrerId, string Code, long Uses, long Referrals, long At)>("""
                SELECT referrer_id, code, shopify_uses, referrals, checked_at FROM code_usage_checks
                WHERE shop = @shop AND (@all = 1 OR shopify_uses <> referrals) ORDER BY code
                """, new { shop = http.ShopSession().Shop, all = all == true ? 1 : 0 });
            return TypedResults.Ok(rows.Select(r => new CodeUsage(r.ReferrerId, r.Code, r.Uses, r.Referrals, r.Uses - r.Referrals,
                DateTimeOffset.FromUnixTimeMilliseconds(r.At))).ToList());
        });
        return api;
    }
}
