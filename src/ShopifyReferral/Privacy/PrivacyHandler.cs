using System.Text.Json;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Privacy;

/// <summary>
/// The mandatory compliance webhooks (shopify-facts 3), subscribed in the app's TOML, never through GraphQL:
/// customers/data_request stores an export the merchant fetches at GET /api/privacy/exports/{id};
/// customers/redact erases the customer's personal data; shop/redact deletes every row of the shop. None calls
/// Shopify (the token is gone by then), and each is safe to run twice.
/// </summary>
public sealed class PrivacyHandler(PrivacyStore store, ILogger<PrivacyHandler> log) : IWebhookHandler
{
    public IReadOnlyCollection<string> Topics { get; } = ["customers/data_request", "customers/redact", "shop/redact"];

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        var p = message.Payload;
        switch (message.Topic.ToLowerInvariant())
        {
            case "customers/data_request":
                var (id, email) = Customer(p);
                if (!p.TryGetProperty("data_request", out var request) || !request.TryGetProperty("id", out var rid) || rid.ValueKind != JsonValueKind.Number)
                    throw new PermanentWebhookException("customers/data_request has no data_request.id.");
                var exportId = await store.ExportCustomerAsync(message.Shop, rid.GetInt64(), id, email, ct);
                log.LogInformation("Privacy export {Export} stored for {Shop} (data request {Request})", exportId, message.Shop, rid.GetInt64());
                break;
            case "customers/redact":
                var (cid, cemail) = Customer(p);
                var orders = p.TryGetProperty("orders_to_redact", out var o) && o.ValueKind == JsonValueKind.Array
                    ? o.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt64()).ToList() : [];
                await store.RedactCustomerAsync(message.Shop, cid, cemail, orders, ct);
                log.LogInformation("Customer redacted for {Shop}", message.Shop);
                break;
            default:
                await store.RedactShopAsync(message.Shop, ct);
                log.LogInformation("Every row of {Shop} deleted (shop/redact)", message.Shop);
                break;
        }
    }

    /// <summary>Some customer records hold only an email (shopify-facts 3), so either may be missing, not both.</summary>
    private static (long? Id, string? Email) Customer(JsonElement payload)
    {
        if (!payload.TryGetProperty("customer", out var c) || c.ValueKind != JsonValueKind.Object)
            throw new PermanentWebhookException("The payload has no customer object.");
        long? id = c.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt64() : null;
        string? email = c.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : null;
        if (id is null && email is null) throw new PermanentWebhookException("The customer has neither an id nor an email.");
        return (id, email);
    }
}
