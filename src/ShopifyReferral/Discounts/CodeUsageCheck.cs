using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Discounts;

/// <summary>
/// Periodic job discounts.usage_check, daily: for every live referrer code of an installed shop, Shopify's
/// asyncUsageCount beside the referrals recorded for it. More uses than referrals: orders we missed (a lost webhook)
/// or a code used where we did not see it; fewer: the count lags (it is updated asynchronously) or orders were
/// deleted. The last check per code is kept for GET /api/discounts/usage. A shop whose calls fail is left for the
/// next day; the others are checked.
/// </summary>
public sealed class CodeUsageCheck(Db db, IShopifyAdmin shopify, TimeProvider time, ILogger<CodeUsageCheck> log) : IPeriodicJob
{
    public const string JobKind = "discounts.usage_check";

    public string Kind => JobKind;

    public bool NeedsShop => false; // one job for every shop

    public TimeSpan Every => TimeSpan.FromDays(1);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        List<(long Id, string Shop, string Code, long Referrals)> codes;
        await using (var conn = await db.OpenAsync(ct))
            codes = (await conn.QueryAsync<(long, string, string, long)>("""
                SELECT r.id, r.shop, r.code, (SELECT COUNT(*) FROM referrals x WHERE x.referrer_id = r.id)
                FROM referrers r JOIN shops s ON s.shop = r.shop
                WHERE s.status = 'installed' AND r.code_status = 'live' AND r.code_gid IS NOT NULL
                ORDER BY r.shop, r.id
                """)).AsList();
        var failedShops = new HashSet<string>(StringComparer.Ordinal);
        var checkedCount = 0;
        foreach (var c in codes)
        {
            if (failedShops.Contains(c.Shop)) continue;
            int? uses;
            try
            {
                uses = (await shopify.FindDiscountByCodeAsync(c.Shop, c.Code, ct))?.UsageCount;
            }
            catch (Exception ex) when (ShopCallFailure.Is(ex, ct))
            {
                log.LogWarning(ex, "Usage check of {Shop} failed; its codes wait for tomorrow's check", c.Shop);
                failedShops.Add(c.Shop);
                continue;
            }
            if (uses is not { } n) continue; // the discount is gone: discounts/delete records that
            await RecordAsync(c.Id, c.Shop, c.Code, n, c.Referrals, ct);
            checkedCount++;
        }
        return JobResult.Later(time.GetUtcNow() + Every, checkedCount > 0);
    }

    private async Task RecordAsync(long referrerId, string shop, string code, long uses, long referrals, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync("DELETE FROM code_usage_checks WHERE referrer_id = @referrerId", new { referrerId }, tx);
        await conn.ExecuteAsync("""
            INSERT INTO code_usage_checks (referrer_id, shop, code, shopify_uses, referrals, checked_at)
            VALUES (@referrerId, @shop, @code, @uses, @referrals, @now)
            """, new { referrerId, shop, code, uses, referrals, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
        await tx.CommitAsync(ct);
    }
}
