using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox;

/// <summary>
/// A merchant changing discounts in the Shopify admin, with the discounts/* webhooks Shopify sends for it. The
/// payloads are Shopify's: the discount's admin_graphql_api_id with title, status and times for an update;
/// deleted_at for a deletion; the removed redeem_code {id, code} for a code taken off a discount.
/// </summary>
public sealed partial class SandboxStore
{
    /// <summary>The merchant renames a discount (its codes stay); discounts/update is sent. Null when there is no such discount.</summary>
    public async Task<WebhookDeliveryResult?> EditDiscountAsync(string shop, string discountGid, string title, Uri webhookTarget, CancellationToken ct = default)
    {
        var state = State.Shop(shop);
        SandboxDiscount? edited;
        lock (state.Gate)
        {
            edited = Find(state, discountGid) is { } d ? d with { Title = title, UpdatedAt = Options.Time.GetUtcNow() } : null;
            if (edited is not null) state.ReplaceDiscount(edited);
        }
        if (edited is null) return null;
        var now = Options.Time.GetUtcNow();
        return await SendDiscountAsync(webhookTarget, shop, "discounts/update", new JsonObject
        {
            ["admin_graphql_api_id"] = edited.Gid,
            ["title"] = edited.Title,
            ["status"] = edited.Status(now),
            ["created_at"] = Time(edited.CreatedAt),
            ["updated_at"] = Time(edited.UpdatedAt),
        }, ct);
    }

    /// <summary>The merchant deletes a discount, codes and all; discounts/delete is sent. Null when there was none.</summary>
    public async Task<WebhookDeliveryResult?> DeleteDiscountAsync(string shop, string discountGid, Uri webhookTarget, CancellationToken ct = default)
    {
        if (!DeleteDiscount(shop, discountGid)) return null;
        return await SendDiscountAsync(webhookTarget, shop, "discounts/delete", new JsonObject
        {
            ["admin_graphql_api_id"] = discountGid,
            ["deleted_at"] = Time(Options.Time.GetUtcNow()),
        }, ct);
    }

    /// <summary>The merchant removes one redeem code from a discount; discounts/redeemcode_removed is sent. Null when it had no such code.</summary>
    public async Task<WebhookDeliveryResult?> RemoveRedeemCodeAsync(string shop, string discountGid, string code, Uri webhookTarget, CancellationToken ct = default)
    {
        var state = State.Shop(shop);
        SandboxRedeemCode? removed;
        SandboxDiscount? discount;
        lock (state.Gate)
        {
            discount = Find(state, discountGid);
            removed = discount?.Codes.FirstOrDefault(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase));
            if (discount is not null && removed is not null)
                state.ReplaceDiscount(discount with { Codes = [.. discount.Codes.Where(c => c.Id != removed.Id)], UpdatedAt = Options.Time.GetUtcNow() });
        }
        if (discount is null || removed is null) return null;
        return await SendDiscountAsync(webhookTarget, shop, "discounts/redeemcode_removed", new JsonObject
        {
            ["admin_graphql_api_id"] = discount.Gid,
            ["redeem_code"] = new JsonObject { ["id"] = $"gid://shopify/DiscountRedeemCode/{removed.Id}", ["code"] = removed.Code },
            ["updated_at"] = Time(Options.Time.GetUtcNow()),
        }, ct);
    }

    private static SandboxDiscount? Find(ShopState state, string gid) =>
        long.TryParse(gid[(gid.LastIndexOf('/') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? state.FindDiscount(id) : null;

    private Task<WebhookDeliveryResult> SendDiscountAsync(Uri target, string shop, string topic, JsonObject payload, CancellationToken ct) =>
        _webhooks.SendAsync(target, shop, topic, System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString()), null, null, ct);

    // Shopify's webhook times: ISO 8601 with the shop's offset (UTC here).
    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
