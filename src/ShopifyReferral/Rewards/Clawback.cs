using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>
/// A referral voided after its reward went out: an unused code is deactivated (clawed back); a used one, or
/// store credit already credited, is recorded as a loss. Safe to run twice: each row moves once.
/// </summary>
public sealed class Clawback(Db db, IShopifyAdmin shopify, ILogger<Clawback> log)
{
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<(long Id, string Shop, string? Code, string? Gid, string Status, string Type)> rows;
        await using (var conn = await db.OpenAsync(ct))
            rows = (await conn.QueryAsync<(long, string, string?, string?, string, string)>("""
                SELECT w.id, w.shop, w.code, w.shopify_gid, w.status, w.reward_type FROM rewards w
                JOIN referrals r ON r.id = w.referral_id
                WHERE r.status = 'voided' AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed')
                """)).AsList();
        var done = 0;
        foreach (var w in rows)
        {
            try
            {
                if (w.Status == "redeemed") await SetAsync(w.Id, w.Status, "lost", "The order was refunded after the reward code was used.", ct);
                else if (RewardTypes.TryParse(w.Type) is { } type && RewardTypes.CodeKind(type) is null)
                    await SetAsync(w.Id, w.Status, "lost", "The order was refunded after store credit was given.", ct);
                else if (await shopify.FindDiscountByCodeAsync(w.Shop, w.Code!, ct) is { UsageCount: > 0 })
                    await SetAsync(w.Id, w.Status, "lost", "The order was refunded after the reward code was used.", ct);
                else
                {
                    if (w.Gid is not null) await shopify.DeactivateDiscountAsync(w.Shop, w.Gid, ct);
                    await SetAsync(w.Id, w.Status, "clawed_back", "The order was refunded; the unused reward code was deactivated.", ct);
                }
                done++;
            }
            catch (Exception ex) when (ex is ShopifyException or HttpRequestException or Shops.ShopNotInstalledException or Shops.ShopifyOAuthException)
            {
                log.LogWarning(ex, "Clawback of reward {Id} failed; will retry", w.Id);
            }
        }
        return done;
    }

    private async Task SetAsync(long id, string from, string to, string why, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE rewards SET status = @to, last_error = @why WHERE id = @id AND status = @from",
            new { id, from, to, why });
    }
}
