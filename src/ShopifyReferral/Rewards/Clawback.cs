using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Job reward.clawback, one per voided referral (asked for with the void): its reward that already went out is undone.
/// An unused code is deactivated (clawed back); a used one is recorded as a loss; store credit is debited back as far as
/// the balance goes (<see cref="StoreCreditClawback"/>); a code whose discount the merchant deleted is clawed back already. Safe to run twice: each row moves once. A failing
/// call leaves its reward for the retry.
/// </summary>
public sealed partial class Clawback(Db db, IShopifyAdmin shopify, StoreCreditClawback storeCredit, Events.EventOutbox events, JobsNow now, ILogger<Clawback> log)
    : IAuditedJob
{
    public const string JobKind = "reward.clawback";

    public string Kind => JobKind;

    public string MissingJobs => $"""
        SELECT DISTINCT CAST(r.id AS VARCHAR(32)), r.shop, 0 FROM referrals r
        JOIN rewards w ON w.referral_id = r.id AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed')
        WHERE r.status = 'voided' AND {JobAudit.NoJobWaiting(JobKind, "r.id")}
        """;

    /// <summary>Claws back every voided referral's reward due now. Returns how many rewards it settled.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => now.RunAsync(this, ct);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        List<(long Id, string Shop, string? Code, string? Gid, string Status, string Type)> rows;
        await using (var conn = await db.OpenAsync(ct))
            rows = (await conn.QueryAsync<(long, string, string?, string?, string, string)>("""
                SELECT w.id, w.shop, w.code, w.shopify_gid, w.status, w.reward_type FROM rewards w
                JOIN referrals r ON r.id = w.referral_id
                WHERE r.id = @id AND r.status = 'voided' AND w.kind = 'referral' AND w.status IN ('issued', 'redeemed')
                """, new { id = job.SubjectId })).AsList();
        foreach (var w in rows)
        {
            try
            {
                if (w.Status == "redeemed") await SetAsync(w.Id, w.Status, "lost", "The order was refunded after the reward code was used.", ct);
                else if (RewardTypes.TryParse(w.Type) == RewardType.GiftCard) await GiftCardBackAsync(w.Id, w.Shop, w.Gid, w.Status, ct);
                else if (RewardTypes.TryParse(w.Type) == RewardType.StoreCredit)
                    await storeCredit.SettleAsync(w.Id, ct);
                else if (RewardTypes.TryParse(w.Type) is { } type && RewardTypes.CodeKind(type) is null)
                    await SetAsync(w.Id, w.Status, "lost", "The order was refunded after store credit was given.", ct);
                else if (await shopify.FindDiscountByCodeAsync(w.Shop, w.Code!, ct) is not { } discount
                         || (w.Gid is not null && discount.DiscountGid != w.Gid))
                    // The merchant deleted ours: nobody can use that code any more, and there is nothing to deactivate
                    // (a discount of someone else's that took the code since is not ours to touch).
                    await SetAsync(w.Id, w.Status, "clawed_back", "The order was refunded; the reward's discount had been deleted in Shopify, so its code cannot be used.", ct);
                else if (discount.UsageCount > 0)
                    await SetAsync(w.Id, w.Status, "lost", "The order was refunded after the reward code was used.", ct);
                else
                {
                    await shopify.DeactivateDiscountAsync(w.Shop, w.Gid ?? discount.DiscountGid, ct);
                    await SetAsync(w.Id, w.Status, "clawed_back", "The order was refunded; the unused reward code was deactivated.", ct);
                }
            }
            catch (ShopifyUserErrorException ex)
            {
                // Shopify refused the deactivation for good: the code stays usable, so the reward is recorded as a loss.
                await SetAsync(w.Id, w.Status, "lost", $"The order was refunded, but Shopify refused to deactivate the reward code: {ex.Message}", ct);
            }
            catch (Exception ex) when (Shops.ShopCallFailure.Is(ex, ct))
            {
                log.LogWarning(ex, "Clawback of reward {Id} of {Shop} failed; will retry", w.Id, w.Shop);
                throw; // the job runner retries; rewards settled already are not looked at again
            }
        }
        return rows.Count > 0 ? JobResult.Done : JobResult.NothingToDo;
    }

    private async Task SetAsync(long id, string from, string to, string why, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync("UPDATE rewards SET status = @to, last_error = @why WHERE id = @id AND status = @from", new { id, from, to, why }, tx) == 1)
            await RewardEvents.RecordAsync(events, conn, tx, id, to == "lost" ? Events.EventTypes.RewardLost : Events.EventTypes.RewardClawedBack, why);
        await tx.CommitAsync(ct);
    }
}
