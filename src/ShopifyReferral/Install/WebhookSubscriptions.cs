using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Install;

/// <summary>
/// Subscribes a shop to the topics the app handles, pointing at {AppUrl}/webhooks. Idempotent: it lists what
/// exists first and creates only the missing (topic, uri) pairs, so a reinstall or a repeated callback is harmless.
/// Uninstall deletes API-made subscriptions on Shopify's side (docs/shopify-facts.md#compliance-webhooks-and-uninstall), so every install runs this.
/// </summary>
public sealed class WebhookSubscriptions(ShopifyGraphQL graphQL, IOptions<ShopifyOptions> options)
{
    public static readonly IReadOnlyList<string> Topics =
        ["ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "ORDERS_CANCELLED", "REFUNDS_CREATE", "APP_UNINSTALLED",
         // A merchant editing or deleting a code we made (needs read_discounts, which write_discounts includes).
         "DISCOUNTS_UPDATE", "DISCOUNTS_DELETE", "DISCOUNTS_REDEEMCODE_REMOVED"];

    public string CallbackUri => options.Value.AppUrl.TrimEnd('/') + "/webhooks";

    /// <summary>Returns the topics it created (empty when all were there already).</summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(string shop, CancellationToken ct)
    {
        var uri = CallbackUri;
        var existing = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.WebhookSubscriptions), AdminDocuments.WebhookSubscriptions,
            new JsonObject { ["first"] = 100 }, ct);
        var have = existing.Data.GetProperty("webhookSubscriptions").GetProperty("nodes").EnumerateArray()
            .Where(n => n.GetProperty("uri").GetString() == uri)
            .Select(n => n.GetProperty("topic").GetString())
            .ToHashSet();
        var created = new List<string>();
        foreach (var topic in Topics.Where(t => !have.Contains(t)))
        {
            var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.WebhookSubscriptionCreate), AdminDocuments.WebhookSubscriptionCreate,
                new JsonObject { ["topic"] = topic, ["subscription"] = new JsonObject { ["uri"] = uri } }, ct);
            var errors = response.Data.GetProperty("webhookSubscriptionCreate").GetProperty("userErrors");
            if (errors.GetArrayLength() > 0)
            {
                var list = errors.EnumerateArray().Select(e => new ShopifyUserError(
                    e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Array ? [.. f.EnumerateArray().Select(x => x.ToString())] : [],
                    null, e.GetProperty("message").GetString() ?? "")).ToList();
                // Shopify's answer when the same topic and address exist already (a race with another install): done.
                if (list.All(e => e.Message.Contains("already been taken", StringComparison.OrdinalIgnoreCase))) continue;
                throw new ShopifyUserErrorException(nameof(AdminDocuments.WebhookSubscriptionCreate), list, response.RequestId);
            }
            created.Add(topic);
        }
        return created;
    }
}
