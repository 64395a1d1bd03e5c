using System.Globalization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Job reward.issue, one per owed reward (asked for with the owing): issues it through the Admin API, exactly once.
/// The reward row keeps its own fence: the job takes it with a conditional update under the job's lease owner, and
/// takes it again right before its Shopify call (<see cref="IssueGate"/>), so a worker whose lease ran out never
/// calls Shopify for a reward another now holds; a code is looked up before it is created, so "Shopify created it,
/// we crashed before recording it" ends with the existing code recorded, never a second one. Retries, parking and
/// giving up are the job runner's; what is particular to issuing (the in-flight marker) stays here.
/// </summary>
public sealed partial class RewardIssuer(
    Db db, IShopifyAdmin shopify, JobQueue jobs, Events.EventOutbox events, JobsNow now, HoldSweeper release, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<JobOptions> jobOptions, ILogger<RewardIssuer> log)
    : IAuditedJob
{
    public const string JobKind = "reward.issue";
    /// <summary>The reward's own lease with the default Jobs:LeaseDuration; the live one follows that setting.</summary>
    public static readonly TimeSpan Lease = new JobOptions().LeaseDuration;

    // The reward's lease is as long as the job's that takes it: a worker that dies mid-call frees both together.
    private TimeSpan LeaseLength => jobOptions.Value.LeaseDuration;

    /// <summary>Test hook: runs after Shopify answered and before the outcome is recorded (a crash point).</summary>
    internal Action<long>? AfterShopifyCall { get; set; }

    public string Kind => JobKind;

    // Checked by the Admin call itself: a missing token is recorded on the reward, so the merchant sees why it waits.
    public bool NeedsShop => false;

    public string MissingJobs => $"""
        SELECT CAST(w.id AS VARCHAR(32)), w.shop, COALESCE(w.due_at, 0) FROM rewards w
        WHERE w.status = 'owed' AND {JobAudit.NoJobWaiting(JobKind, "w.id")}
        """;

    /// <summary>Releases the holds that ended (owing their rewards), then issues every reward due now. Returns how many were issued.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await release.RunOnceAsync(ct);
        return await now.RunAsync(this, ct);
    }

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var at = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var conn = await db.OpenAsync(ct))
        {
            // A conditional update: two workers can never both take the reward; another's live lease is waited out.
            var won = await conn.ExecuteAsync("""
                UPDATE rewards SET lease_owner = @owner, due_at = @until, attempts = attempts + 1
                WHERE id = @id AND status = 'owed' AND (due_at IS NULL OR due_at <= @at)
                """, new { id = job.SubjectId, owner = job.Owner, at, until = at + (long)LeaseLength.TotalMilliseconds }) == 1;
            if (!won)
            {
                var dueAt = await conn.ExecuteScalarAsync<long?>("SELECT due_at FROM rewards WHERE id = @id AND status = 'owed'", new { id = job.SubjectId });
                return dueAt is { } d ? JobResult.Later(DateTimeOffset.FromUnixTimeMilliseconds(d)) : JobResult.NothingToDo;
            }
        }
        OwedReward w;
        await using (var conn = await db.OpenAsync(ct))
            w = await conn.QuerySingleAsync<OwedReward>("""
                SELECT w.id, w.shop, w.idempotency_key, w.referral_id, w.kind, w.reward_type, w.value, w.amount_minor, w.currency, w.code,
                       w.expires_at, w.attempts, w.product_gid, w.product_title, r.customer_id, r.first_name
                FROM rewards w JOIN referrers r ON r.id = w.referrer_id WHERE w.id = @id
                """, new { id = job.SubjectId });
        return await IssueAsync(w, job.Owner, ct) ? JobResult.Done : JobResult.NothingToDo;
    }

    /// <summary>The last attempt failed: the reward ends failed with why, for the merchant to see (and issue by hand if right).</summary>
    public async Task GiveUpAsync(Job job, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE rewards SET status = 'failed', last_error = @error, lease_owner = NULL, due_at = NULL WHERE id = @id AND status = 'owed'",
            new { id = job.SubjectId, error });
    }

    private async Task<bool> IssueAsync(OwedReward w, string owner, CancellationToken ct)
    {
        try
        {
            // A type this version does not know (written by a newer one) fails naming it; it is never issued as some other type.
            var type = RewardTypes.TryParse(w.RewardType) ?? throw new PermanentRewardException($"Unknown reward type '{w.RewardType}'; nothing was issued.");
            // Money is paid in a currency someone chose (the program's, else the order's), never in one guessed here.
            if (type is RewardType.StoreCredit or RewardType.GiftCard && w.Currency is null)
                throw new PermanentRewardException($"No currency for this {(type == RewardType.GiftCard ? "gift card" : "store credit")}: the program's reward names none and the order had none. Set the reward currency in the program.");
            var verdict = await IssueGate.TakeAsync(db, w.Id, owner, time.GetUtcNow(), LeaseLength, ct);
            if (verdict == IssueGate.Verdict.OutcomeUnknown)
                throw new PermanentRewardException("The outcome of an earlier credit is unknown (the app stopped mid-call); check the customer's store credit before crediting again.");
            if (verdict != IssueGate.Verdict.Go)
            {
                // Lost: its lease ran out and another issuer holds it. Cancelled: the merchant's decision came first.
                log.LogInformation("Reward {Id} of {Shop} not issued by this issuer: {Verdict}", w.Id, w.Shop, verdict);
                return false;
            }
            var issued = type == RewardType.GiftCard ? await GiftCardAsync(w, ct)
                : RewardTypes.CodeKind(type) is { } kind ? await CreateCodeAsync(w, kind, ct)
                : new Issued(await CreditAsync(w, ct));
            AfterShopifyCall?.Invoke(w.Id);
            return await RecordIssuedAsync(w, owner, issued, ct);
        }
        catch (Exception ex) when (ex is ShopifyUserErrorException or PermanentRewardException)
        {
            await FinishAsync(w.Id, owner, "failed", ex.Message, null, ct); // Shopify said no; a retry says no again
            return false;
        }
        catch (ShopifyGraphQLException ex) when (ex.Errors.Any(e => e.Code == "ACCESS_DENIED"))
        {
            // A scope the shop did not grant: no retry changes that until the merchant re-installs with it.
            await FinishAsync(w.Id, owner, "failed", $"Shopify denied access ({ex.Message}); have the merchant re-install the app so it asks for the scope this reward needs.", null, ct);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // For the job runner to retry (or park, or give up); the reward is released for that next attempt.
            var parked = ex is ShopNotInstalledException;
            await ReleaseAsync(w.Id, owner, ex.Message, parked, parked || NeverReachedShopify(ex), ct);
            throw;
        }
    }

    private async Task<bool> RecordIssuedAsync(OwedReward w, string owner, Issued issued, CancellationToken ct)
    {
        var gid = issued.Gid;
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var recorded = await conn.ExecuteAsync("""
            UPDATE rewards SET status = 'issued', shopify_gid = @gid, issued_at = @now, lease_owner = NULL, due_at = NULL, last_error = NULL,
                amount_minor = COALESCE(@price, amount_minor), product_title = COALESCE(@title, product_title)
            WHERE id = @id AND lease_owner = @owner AND status = 'owed'
            """, new { id = w.Id, owner, gid, now, price = issued.Price is { } p ? Money.ToMinor(p, w.Currency) : (long?)null, title = issued.Title }, tx) == 1;
        if (recorded && w.Kind == "referral")
            await ReferralDecisions.MarkRewardedAsync(conn, tx, w.ReferralId!.Value, now,
                IssuedWords(w));
        if (recorded)
        {
            await jobs.EnqueueAsync(conn, tx, RewardThanks.JobKind, w.Id, w.Shop);
            await RewardEvents.RecordAsync(events, conn, tx, w.Id, Events.EventTypes.RewardIssued);
            await CreditDebtCollector.EnqueueIfOwedAsync(jobs, conn, tx, w.Id, w.Shop); // spent credit owed from an earlier clawback
            // Voided while the call was in flight: the reward that just went out is clawed back.
            if (w.Kind == "referral" && await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM referrals WHERE id = @rid AND status = 'voided'", new { rid = w.ReferralId }, tx) > 0)
                await jobs.EnqueueAsync(conn, tx, Clawback.JobKind, w.ReferralId!.Value, w.Shop);
        }
        await tx.CommitAsync(ct);
        return recorded;
    }

    private async Task FinishAsync(long id, string owner, string status, string error, string? gid, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("""
            UPDATE rewards SET status = @status, last_error = @error, shopify_gid = COALESCE(@gid, shopify_gid), lease_owner = NULL, due_at = NULL
            WHERE id = @id AND lease_owner = @owner
            """, new { id, owner, status, error, gid });
    }

    /// <summary>
    /// Answers Shopify gives before running anything (or no call at all: no token). After these a store-credit
    /// attempt is known not to have happened, so its in-flight marker is cleared and the credit is simply tried again.
    /// </summary>
    private static bool NeverReachedShopify(Exception ex) =>
        ex is ShopifyThrottledException or ShopifyHttpException { Status: System.Net.HttpStatusCode.TooManyRequests } or ShopifyOAuthException;

    private async Task ReleaseAsync(long id, string owner, string error, bool parked, bool notSent, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync($"""
            UPDATE rewards SET lease_owner = NULL, due_at = NULL, attempts = attempts - @refund,
                last_error = CASE WHEN last_error IN ('{IssueGate.InFlight}', '{IssueGate.GiftCardInFlight}') AND @notSent = 0 THEN last_error ELSE @error END
            WHERE id = @id AND lease_owner = @owner
            """, new { id, owner, error, refund = parked ? 1 : 0, notSent = notSent ? 1 : 0 });
    }

    private sealed class PermanentRewardException(string message) : Exception(message);

}
