using System.Text.Json;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Shopify does not guarantee delivery. This asks the Admin API for orders updated since the last run and
/// puts each one that used a discount code into the inbox as an orders/updated delivery keyed by (order,
/// updated_at). The copy goes through the path a webhook takes, except that it is recorded so it only adds what
/// the webhooks missed (<see cref="ReconciledOrder"/>): a missed order is recorded, a known one keeps what they brought.
/// </summary>
public sealed class Reconciler(Db db, IShopifyAdmin shopify, InboxWriter inbox, TimeProvider time, ILogger<Reconciler> log)
{
    /// <summary>Read a little before the cursor: an order updated while the last run was paging is not skipped.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    /// <summary>Marks the inbox rows this writes (Shopify's webhook ids are UUIDs), so the recorder knows a copy from a webhook.</summary>
    public const string WebhookIdPrefix = "reconcile:";

    /// <summary>A delivery made by reconciliation: the recorder lets it add to an order, never overwrite it (<see cref="ReconciledOrder"/>).</summary>
    public static bool IsCopy(WebhookMessage message) => message.WebhookId.StartsWith(WebhookIdPrefix, StringComparison.Ordinal);

    /// <summary>Reconciles every installed shop once. Returns how many orders it added to the inbox.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        List<(string Shop, long? Since)> shops;
        await using (var conn = await db.OpenAsync(ct))
            shops = (await conn.QueryAsync<(string, long?)>("""
                SELECT s.shop, c.updated_since FROM shops s LEFT JOIN reconcile_cursors c ON c.shop = s.shop WHERE s.status = 'installed'
                """)).AsList();
        var added = 0;
        foreach (var (shop, since) in shops)
        {
            try
            {
                added += await ReconcileAsync(shop, since is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : time.GetUtcNow().AddDays(-30), ct);
            }
            catch (Exception ex) when (Shops.ShopCallFailure.Is(ex, ct))
            {
                // One shop's failure (a timeout included) must not stop the others.
                log.LogWarning(ex, "Reconciliation of {Shop} failed; the next run starts from the same point", shop);
            }
        }
        return added;
    }

    private async Task<int> ReconcileAsync(string shop, DateTimeOffset since, CancellationToken ct)
    {
        var added = 0;
        var newest = since;
        string? after = null;
        do
        {
            var page = await shopify.GetOrdersUpdatedSinceAsync(shop, since - Overlap, after, ct);
            foreach (var order in page.Orders)
            {
                if (order.UpdatedAt > newest) newest = order.UpdatedAt;
                if (order.DiscountCodes.Count == 0) continue;
                var body = JsonSerializer.SerializeToUtf8Bytes(AsWebhookPayload(order));
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                if (await inbox.AddAsync(new InboxDelivery(shop, "orders/updated", $"{WebhookIdPrefix}{order.LegacyId}:{order.UpdatedAt.ToUnixTimeMilliseconds()}",
                        null, null, "reconciliation", body, now)))
                    added++;
            }
            after = page.HasNextPage ? page.EndCursor : null;
        } while (after is not null);

        await using var conn = await db.OpenAsync(ct);
        var args = new { shop, since = newest.ToUnixTimeMilliseconds(), now = time.GetUtcNow().ToUnixTimeMilliseconds() };
        if (await conn.ExecuteAsync("UPDATE reconcile_cursors SET updated_since = @since, run_at = @now WHERE shop = @shop", args) == 0)
            await conn.ExecuteAsync("INSERT INTO reconcile_cursors (shop, updated_since, run_at) VALUES (@shop, @since, @now)", args);
        if (added > 0) log.LogInformation("Reconciliation found {Count} order(s) of {Shop} the webhooks had not brought", added, shop);
        return added;
    }

    /// <summary>
    /// The GraphQL order in the REST webhook shape the recorder reads. total_price and subtotal_price are the
    /// figures as ordered, as in a webhook (a refund lowers only the "current" ones); reading the post-refund total
    /// as the total would make a partly refunded order look fully refunded.
    /// </summary>
    private static Dictionary<string, object?> AsWebhookPayload(ShopifyOrder o) => new()
    {
        ["id"] = o.LegacyId,
        ["name"] = o.Name,
        ["email"] = o.Email ?? o.CustomerEmail,
        ["created_at"] = o.CreatedAt.ToString("O"),
        ["updated_at"] = o.UpdatedAt.ToString("O"),
        ["cancelled_at"] = o.CancelledAt?.ToString("O"),
        ["test"] = o.Test,
        ["financial_status"] = o.FinancialStatus?.ToLowerInvariant(),
        ["currency"] = o.Currency,
        ["subtotal_price"] = o.Subtotal?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["current_subtotal_price"] = o.CurrentSubtotal.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["total_price"] = o.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["discount_codes"] = o.DiscountCodes.Select(c => new { code = c }).ToList(),
        ["customer"] = o.CustomerGid is null ? null : new { id = long.Parse(o.CustomerGid[(o.CustomerGid.LastIndexOf('/') + 1)..]), email = o.CustomerEmail },
    };
}
