using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Rewards;

/// <summary>
/// The point of effect of issuing one reward: right before its Shopify call, in one short transaction, the issuer
/// takes the reward with a conditional UPDATE whose row count alone decides whether it may call Shopify. A claim
/// covers a batch, and a slow issuer's lease can run out while another instance claims the same rows; what either
/// read when it claimed is stale by now, so nothing from the claim is trusted here. Taking it renews the lease for
/// this one call and, for store credit, commits the in-flight marker in the same write.
/// </summary>
internal static class IssueGate
{
    public const string InFlight = "store credit in flight";

    public enum Verdict { Go, Lost, OutcomeUnknown }

    public static async Task<Verdict> TakeAsync(Db db, long id, string owner, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        // The marker must survive a power loss: without it a retry could credit twice. (Not settable inside a transaction.)
        if (db.Provider == DatabaseProvider.Sqlite) await conn.ExecuteAsync($"PRAGMA synchronous={db.IntakeSynchronous}");
        await using var tx = await conn.BeginTransactionAsync(ct);
        var args = new { id, owner, inFlight = InFlight, until = (now + RewardIssuer.Lease).ToUnixTimeMilliseconds() };
        var taken = await conn.ExecuteAsync("""
            UPDATE rewards SET due_at = @until,
                last_error = CASE WHEN reward_type = 'store_credit' THEN @inFlight ELSE last_error END
            WHERE id = @id AND lease_owner = @owner AND status = 'owed'
              AND (reward_type <> 'store_credit' OR last_error IS NULL OR last_error <> @inFlight)
            """, args, tx) == 1;
        var verdict = Verdict.Go;
        if (!taken)
        {
            // Still ours but marked: an earlier attempt at this credit may have reached Shopify.
            var ours = await conn.QuerySingleOrDefaultAsync<string?>(
                "SELECT last_error FROM rewards WHERE id = @id AND lease_owner = @owner AND status = 'owed'", args, tx);
            verdict = ours == InFlight ? Verdict.OutcomeUnknown : Verdict.Lost;
        }
        await tx.CommitAsync(ct);
        return verdict;
    }
}
