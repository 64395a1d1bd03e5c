using System.Text.Json;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Privacy;

/// <summary>
/// The mandatory privacy webhooks (docs/shopify-facts.md#compliance-webhooks-and-uninstall). data_request stores an export the merchant fetches from
/// /api/privacy/exports; customers/redact erases the person and keeps anonymous counts; shop/redact deletes
/// every row of the shop. Each is safe to run twice.
/// </summary>
public sealed class PrivacyHandlers(Db db, Redactor redactor, TimeProvider time, ILogger<PrivacyHandlers> log) : IWebhookHandler
{
    public IReadOnlyCollection<string> Topics { get; } = ["customers/data_request", "customers/redact", "shop/redact"];

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        if (message.Topic == "shop/redact")
        {
            var rows = await redactor.DeleteShopAsync(message.Shop, ct);
            log.LogInformation("shop/redact: deleted {Rows} rows of {Shop}", rows, message.Shop);
            return;
        }
        var subject = SubjectOf(message);
        if (message.Topic == "customers/redact")
        {
            await redactor.RedactCustomerAsync(subject, message.InboxId, ct);
            log.LogInformation("customers/redact: erased customer {Customer} of {Shop}", subject.CustomerId, message.Shop);
            return;
        }
        await using var conn = await db.OpenAsync(ct);
        var requestId = message.Payload.TryGetProperty("data_request", out var dr) && dr.TryGetProperty("id", out var id) ? id.ToString() : message.WebhookId;
        var exists = await conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM privacy_exports WHERE shop = @shop AND request_id = @requestId", new { shop = message.Shop, requestId });
        if (exists > 0) return;
        var export = new Dictionary<string, object?>
        {
            ["shop"] = message.Shop, ["customer_id"] = subject.CustomerId, ["email"] = subject.Email,
            ["generated_at"] = ApiTime.Text(time.GetUtcNow()), ["data"] = await subject.CollectAsync(conn, db.Dialect),
        };
        await conn.ExecuteAsync("""
            INSERT INTO privacy_exports (shop, customer_id, email, request_id, body, created_at)
            VALUES (@shop, @cid, @email, @requestId, @body, @now)
            """, new
        {
            shop = message.Shop, cid = subject.CustomerId, email = subject.Email, requestId,
            body = JsonSerializer.Serialize(export), now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
    }

    private static Subject SubjectOf(WebhookMessage m)
    {
        var p = m.Payload;
        long? id = null;
        string? email = null;
        if (p.TryGetProperty("customer", out var c) && c.ValueKind == JsonValueKind.Object)
        {
            if (c.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number) id = i.GetInt64();
            if (c.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String) email = e.GetString();
        }
        var orders = new List<long>();
        foreach (var name in new[] { "orders_requested", "orders_to_redact" })
            if (p.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                orders.AddRange(list.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt64()));
        if (id is null && email is null && orders.Count == 0)
            throw new PermanentWebhookException("The privacy request names no customer id, email or order.");
        return new Subject(m.Shop, id, email, orders);
    }
}
