using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShopifyReferral.Shopify;

/// <summary>The free-product and gift card calls of <see cref="ShopifyAdmin"/>.</summary>
public sealed partial class ShopifyAdmin
{
    /// <summary>The one product or variant a free-product code applies to.</summary>
    private static JsonObject ProductItems(string gid) => new()
    {
        ["products"] = gid.StartsWith("gid://shopify/ProductVariant/", StringComparison.Ordinal)
            ? new JsonObject { ["productVariantsToAdd"] = new JsonArray(gid) }
            : new JsonObject { ["productsToAdd"] = new JsonArray(gid) },
    };

    public async Task<RewardProduct?> GetRewardProductAsync(string shop, string productGid, CancellationToken ct)
    {
        var variant = productGid.StartsWith("gid://shopify/ProductVariant/", StringComparison.Ordinal);
        var (operation, document) = variant
            ? (nameof(AdminDocuments.RewardVariant), AdminDocuments.RewardVariant)
            : (nameof(AdminDocuments.RewardProduct), AdminDocuments.RewardProduct);
        var response = await graphQL.ExecuteAsync(shop, operation, document, new JsonObject { ["id"] = productGid }, ct);
        var node = response.Data.GetProperty(variant ? "productVariant" : "product");
        if (node.ValueKind != JsonValueKind.Object) return null;
        var product = variant ? node.GetProperty("product") : node;
        var price = variant ? node.GetProperty("price")
            : node.GetProperty("variants").GetProperty("nodes").EnumerateArray().Select(v => v.GetProperty("price")).FirstOrDefault();
        return new RewardProduct(
            node.GetProperty("id").GetString()!,
            variant ? node.GetProperty("displayName").GetString()! : product.GetProperty("title").GetString()!,
            product.GetProperty("status").GetString()!,
            OptionalString(product, "publishedAt") is not null,
            price.ValueKind is JsonValueKind.String or JsonValueKind.Number ? Decimal(price) : null);
    }

    public async Task<GiftCardInfo> CreateGiftCardAsync(string shop, GiftCardSpec spec, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spec.Amount);
        var input = new JsonObject
        {
            ["code"] = spec.Code,
            ["initialAmount"] = new JsonObject { ["amount"] = Money(spec.Amount), ["currencyCode"] = spec.Currency.ToUpperInvariant() },
            ["customerId"] = spec.CustomerGid,
            ["expiresOn"] = spec.ExpiresOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["note"] = spec.Note,
        };
        // Not idempotent: a retry after a lost answer would meet TAKEN at best, so the caller decides what to do next.
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.GiftCardCreate), AdminDocuments.GiftCardCreate,
            new JsonObject { ["input"] = input }, ct, idempotent: false);
        return ReadGiftCard(Payload(response, "giftCardCreate", nameof(AdminDocuments.GiftCardCreate)).GetProperty("giftCard"));
    }

    public async Task<GiftCardInfo?> FindGiftCardAsync(string shop, string code, string noteMarker, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.GiftCardsByCode), AdminDocuments.GiftCardsByCode,
            new JsonObject { ["query"] = code }, ct);
        // The default term matches more than codes (a customer's name): only our card, by its tail and our note, is taken.
        return response.Data.GetProperty("giftCards").GetProperty("nodes").EnumerateArray().Select(ReadGiftCard)
            .FirstOrDefault(c => code.EndsWith(c.LastCharacters, StringComparison.OrdinalIgnoreCase)
                                 && c.Note?.Contains(noteMarker, StringComparison.Ordinal) == true);
    }

    public async Task<GiftCardInfo?> GetGiftCardAsync(string shop, string giftCardGid, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.GiftCardById), AdminDocuments.GiftCardById,
            new JsonObject { ["id"] = giftCardGid }, ct);
        var node = response.Data.GetProperty("giftCard");
        return node.ValueKind == JsonValueKind.Object ? ReadGiftCard(node) : null;
    }

    // Sets a state (disabled), so the general pipeline may retry it after a lost answer.
    public async Task<GiftCardInfo> DeactivateGiftCardAsync(string shop, string giftCardGid, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.GiftCardDeactivate), AdminDocuments.GiftCardDeactivate,
            new JsonObject { ["id"] = giftCardGid }, ct);
        return ReadGiftCard(Payload(response, "giftCardDeactivate", nameof(AdminDocuments.GiftCardDeactivate)).GetProperty("giftCard"));
    }

    private static GiftCardInfo ReadGiftCard(JsonElement c) => new(
        c.GetProperty("id").GetString()!,
        c.GetProperty("lastCharacters").GetString()!,
        OptionalString(c, "note"),
        Decimal(c.GetProperty("initialValue").GetProperty("amount")),
        Decimal(c.GetProperty("balance").GetProperty("amount")),
        c.GetProperty("balance").GetProperty("currencyCode").GetString()!,
        c.GetProperty("enabled").GetBoolean());
}
