using System.Data.Common;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Job reward.credit_debt, one per store credit reward issued while its referrer owes spent credit in that currency
/// (a clawback under spentCredit = debt): the debt is debited from the new credit, oldest debt first, never more than
/// the new reward gave. Each debt-and-reward pair is one keyed debit, so a rerun takes nothing twice.
/// </summary>
public sealed class CreditDebtCollector(Db db, StoreCreditDebits debits, JobsNow now) : IAuditedJob
{
    public const string JobKind = "reward.credit_debt";

    // A debt of reward w's referrer, in w's currency, still open, owed before w was issued.
    private const string DebtOfW = """
        c.referrer_id = w.referrer_id AND c.currency = w.currency AND c.spent_as = 'debt'
          AND c.collected_minor < c.spent_minor AND c.reward_id <> w.id AND c.created_at <= w.issued_at
        """;

    private const string OpenDebt = $"SELECT 1 FROM store_credit_clawbacks c WHERE {DebtOfW}";

    public string Kind => JobKind;

    public string MissingJobs => $"""
        SELECT CAST(w.id AS VARCHAR(32)), w.shop, 0 FROM rewards w
        WHERE w.reward_type = 'store_credit' AND w.status IN ('issued', 'redeemed') AND EXISTS ({OpenDebt})
          AND NOT EXISTS (SELECT 1 FROM store_credit_debits d WHERE d.against_reward_id = w.id)
          AND {JobAudit.NoJobWaiting(JobKind, "w.id")}
        """;

    public Task<int> RunOnceAsync(CancellationToken ct) => now.RunAsync(this, ct);

    /// <summary>Asks for the job when the reward just issued can pay off a debt (called in the transaction).</summary>
    public static async Task EnqueueIfOwedAsync(JobQueue jobs, DbConnection conn, DbTransaction tx, long rewardId, string shop)
    {
        if (await conn.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM rewards w WHERE w.id = @rewardId AND w.reward_type = 'store_credit' AND EXISTS ({OpenDebt})",
                new { rewardId }, tx) > 0)
            await jobs.EnqueueAsync(conn, tx, JobKind, rewardId, shop);
    }

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        Reward? w;
        List<(long RewardId, long Owed)> owed;
        await using (var conn = await db.OpenAsync(ct))
        {
            w = await conn.QuerySingleOrDefaultAsync<Reward>("""
                SELECT w.id, w.shop, f.customer_id, w.currency, w.amount_minor FROM rewards w JOIN referrers f ON f.id = w.referrer_id
                WHERE w.id = @id AND w.reward_type = 'store_credit' AND w.status IN ('issued', 'redeemed') AND w.currency IS NOT NULL
                """, new { id = job.SubjectId });
            if (w is null) return JobResult.NothingToDo;
            owed = (await conn.QueryAsync<(long, long)>($"""
                SELECT c.reward_id, c.spent_minor - c.collected_minor FROM store_credit_clawbacks c
                JOIN rewards w ON w.id = @id WHERE {DebtOfW}
                ORDER BY c.created_at, c.reward_id
                """, new { id = w.Id })).AsList();
        }
        var left = w.AmountMinor ?? 0;
        var took = 0L;
        foreach (var (debtOf, remaining) in owed)
        {
            if (left <= 0) break;
            var taken = await debits.TakeAsync(w.Shop, $"debt:{debtOf}:{w.Id}", debtOf, w.Id, w.CustomerId, w.Currency!, Math.Min(remaining, left), ct);
            left -= taken;
            took += taken;
            await using var conn = await db.OpenAsync(ct);
            // Derived from the debits themselves, so running this twice never counts a debit twice.
            await conn.ExecuteAsync("""
                UPDATE store_credit_clawbacks SET collected_minor =
                    (SELECT COALESCE(SUM(d.amount_minor), 0) FROM store_credit_debits d WHERE d.reward_id = @debtOf AND d.against_reward_id IS NOT NULL AND d.status = 'done')
                WHERE reward_id = @debtOf
                """, new { debtOf });
        }
        return took > 0 ? JobResult.Done : JobResult.NothingToDo;
    }

    private sealed record Reward(long Id, string Shop, long CustomerId, string? Currency, long? AmountMinor);
}
