using System.Globalization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Rewards;

/// <summary>
/// Thanks each referrer once their reward is issued (job reward.thank, asked for with the issue): sets customer
/// metafields in the app's namespace ($app:referral last_reward_code, last_reward_issued_at) and the tag
/// "referral-rewarded", so the store's own emails or Shopify Flow can thank them and send the code. A reward_thanks row
/// (primary key = reward id) is written after both calls succeed; both calls set a state, so a crash before the row
/// only repeats them harmlessly. A refusal no retry can change (a userError, or access denied for want of
/// write_customers) ends the reward's thanks as failed with why.
/// </summary>
public sealed class RewardThanks(Db db, IShopifyAdmin shopify, JobsNow now, TimeProvider time, ILogger<RewardThanks> log) : IAuditedJob
{
    public const string Namespace = "$app:referral";
    public const string Tag = "referral-rewarded";
    public const string JobKind = "reward.thank";

    public string Kind => JobKind;

    public string MissingJobs => $"""
        SELECT CAST(w.id AS VARCHAR(32)), w.shop, 0 FROM rewards w
        WHERE w.status IN ('issued', 'redeemed') AND w.issued_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM reward_thanks t WHERE t.reward_id = w.id) AND {JobAudit.NoJobWaiting(JobKind, "w.id")}
        """;

    /// <summary>Thanks every issued reward whose thanks are due now. Returns how many were thanked.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => now.RunAsync(this, ct);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        Unthanked? w;
        await using (var conn = await db.OpenAsync(ct))
            w = await conn.QuerySingleOrDefaultAsync<Unthanked>("""
                SELECT w.id, w.shop, r.customer_id, w.code, w.issued_at FROM rewards w JOIN referrers r ON r.id = w.referrer_id
                WHERE w.id = @id AND w.status IN ('issued', 'redeemed') AND w.issued_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM reward_thanks t WHERE t.reward_id = w.id)
                """, new { id = job.SubjectId });
        if (w is null) return JobResult.NothingToDo;
        try
        {
            await ThankAsync(w, ct);
            return JobResult.Done;
        }
        catch (ShopifyUserErrorException ex)
        {
            // Shopify said no (the customer is gone, say): asking again says no again, so it is recorded and left.
            log.LogWarning("Shopify refused to thank reward {Id} of {Shop}: {Error}", w.Id, w.Shop, ex.Message);
            await RecordAsync(w, "failed", ex.Message, ct);
        }
        catch (ShopifyGraphQLException ex) when (ex.Errors.Any(e => e.Code == "ACCESS_DENIED"))
        {
            // The shop did not grant write_customers: no retry can change that until the merchant re-installs.
            var why = "Shopify denied access: thanking needs the write_customers scope, which this shop did not grant " +
                      $"(add it to Shopify:Scopes and have the merchant re-install). {ex.Message}";
            log.LogWarning("Cannot thank reward {Id} of {Shop}: {Error}", w.Id, w.Shop, why);
            await RecordAsync(w, "failed", why, ct);
        }
        return JobResult.NothingToDo;
    }

    public async Task GiveUpAsync(Job job, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var w = await conn.QuerySingleOrDefaultAsync<Unthanked>("""
            SELECT w.id, w.shop, r.customer_id, w.code, w.issued_at FROM rewards w JOIN referrers r ON r.id = w.referrer_id WHERE w.id = @id
            """, new { id = job.SubjectId });
        if (w is not null) await RecordAsync(w, "failed", error, ct);
    }

    private async Task ThankAsync(Unthanked w, CancellationToken ct)
    {
        var customer = $"gid://shopify/Customer/{w.CustomerId}";
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(w.IssuedAt).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var fields = new List<MetafieldInput> { new(customer, Namespace, "last_reward_issued_at", "date_time", issued) };
        if (w.Code is not null) fields.Add(new(customer, Namespace, "last_reward_code", "single_line_text_field", w.Code));
        await shopify.SetMetafieldsAsync(w.Shop, fields, ct);
        await shopify.AddTagsAsync(w.Shop, customer, [Tag], ct);
        await RecordAsync(w, "thanked", null, ct);
    }

    private async Task RecordAsync(Unthanked w, string outcome, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("""
            INSERT INTO reward_thanks (reward_id, shop, customer_id, outcome, error, thanked_at)
            SELECT @Id, @Shop, @CustomerId, @outcome, @error, @now WHERE NOT EXISTS (SELECT 1 FROM reward_thanks WHERE reward_id = @Id)
            """, new { w.Id, w.Shop, w.CustomerId, outcome, error, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    private sealed record Unthanked
    {
        public long Id { get; init; }
        public string Shop { get; init; } = "";
        public long CustomerId { get; init; }
        public string? Code { get; init; }
        public long IssuedAt { get; init; }
    }
}
