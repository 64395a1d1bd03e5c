using System.Globalization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Dashboard;

/// <summary>
/// Thanks each referrer once their reward is issued: sets customer metafields in the app's namespace
/// ($app:referral last_reward_code, last_reward_issued_at) and the tag "referral-rewarded", so the store's own emails
/// or Shopify Flow can thank them and send the code. A reward_thanks row (primary key = reward id) is written after
/// both calls succeed; both calls set a state, so a crash before the row only repeats them harmlessly. A refusal no retry
/// can change (a userError, or access denied for want of write_customers) ends the reward's thanks as failed with why.
/// </summary>
public sealed class ThankSweeper(Db db, IShopifyAdmin shopify, TimeProvider time, ILogger<ThankSweeper> log) : BackgroundService
{
    public const string Namespace = "$app:referral";
    public const string Tag = "referral-rewarded";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "Thank sweep failed; trying again shortly");
            }
            try { await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Thanks every issued reward of an installed shop not yet thanked. Returns how many were thanked; a transient failure is retried next time.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<Unthanked> due;
        await using (var conn = await db.OpenAsync(ct))
            due = (await conn.QueryAsync<Unthanked>(db.FirstRows("""
                SELECT w.id, w.shop, r.customer_id, w.code, w.issued_at FROM rewards w JOIN referrers r ON r.id = w.referrer_id
                JOIN shops s ON s.shop = w.shop AND s.status = 'installed'
                WHERE w.status IN ('issued', 'redeemed') AND w.issued_at IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM reward_thanks t WHERE t.reward_id = w.id)
                ORDER BY w.id
                """), new { limit = 50 })).AsList();
        var thanked = 0;
        foreach (var w in due)
        {
            try
            {
                await ThankAsync(w, ct);
                thanked++;
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
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Could not thank reward {Id} of {Shop} yet", w.Id, w.Shop);
            }
        }
        return thanked;
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
