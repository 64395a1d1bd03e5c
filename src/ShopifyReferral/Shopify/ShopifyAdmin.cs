using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShopifyReferral.Shopify;

/// <summary><see cref="IShopifyAdmin"/> over <see cref="ShopifyGraphQL"/>: builds variables, maps results, checks userErrors.</summary>
public sealed partial class ShopifyAdmin(ShopifyGraphQL graphQL) : IShopifyAdmin
{
    /// <summary>Input arrays are capped at 250 items (shopify.dev/docs/api/usage/limits).</summary>
    private const int MaxArrayInput = 250;

    public async Task<CreatedDiscount> CreateCodeDiscountAsync(string shop, CodeDiscountSpec spec, CancellationToken ct)
    {
        spec.Validate();
        var input = new JsonObject
        {
            ["title"] = spec.Title,
            ["code"] = spec.Code,
            ["startsAt"] = Timestamp(spec.StartsAt),
            ["endsAt"] = spec.EndsAt is { } ends ? Timestamp(ends) : null,
            // `context` replaces the deprecated customerSelection; sending both is rejected.
            ["context"] = spec.CustomerGids is { Count: > 0 } ids
                ? new JsonObject { ["customers"] = new JsonObject { ["add"] = new JsonArray([.. ids.Select(i => JsonValue.Create(i))]) } }
                : new JsonObject { ["all"] = "ALL" },
            ["appliesOncePerCustomer"] = spec.AppliesOncePerCustomer,
            ["usageLimit"] = spec.UsageLimit,
            ["combinesWith"] = new JsonObject
            {
                ["orderDiscounts"] = spec.CombinesWith.OrderDiscounts,
                ["productDiscounts"] = spec.CombinesWith.ProductDiscounts,
                ["shippingDiscounts"] = spec.CombinesWith.ShippingDiscounts,
            },
        };
        if (spec.MinimumSubtotal is { } minimum)
            input["minimumRequirement"] = new JsonObject { ["subtotal"] = new JsonObject { ["greaterThanOrEqualToSubtotal"] = Money(minimum) } };

        string operation, document, field;
        if (spec.Kind == DiscountKind.FreeShipping)
        {
            (operation, document, field) = (nameof(AdminDocuments.DiscountCodeFreeShippingCreate), AdminDocuments.DiscountCodeFreeShippingCreate, "discountCodeFreeShippingCreate");
            input["destination"] = new JsonObject { ["all"] = true };
        }
        else
        {
            (operation, document, field) = (nameof(AdminDocuments.DiscountCodeBasicCreate), AdminDocuments.DiscountCodeBasicCreate, "discountCodeBasicCreate");
            input["customerGets"] = new JsonObject
            {
                // Percentage is a Float fraction (0.1 = 10 %); amounts are Decimal, sent as strings.
                ["value"] = spec.Kind == DiscountKind.Percentage
                    ? new JsonObject { ["percentage"] = (double)spec.Value }
                    : new JsonObject { ["discountAmount"] = new JsonObject { ["amount"] = Money(spec.Value), ["appliesOnEachItem"] = false } },
                ["items"] = spec.Kind == DiscountKind.FreeProduct ? ProductItems(spec.ProductGid!) : new JsonObject { ["all"] = true },
            };
        }

        var response = await graphQL.ExecuteAsync(shop, operation, document, new JsonObject { ["discount"] = input }, ct);
        var payload = Payload(response, field, operation);
        var node = payload.GetProperty("codeDiscountNode");
        var found = ReadDiscount(node);
        return new CreatedDiscount(found.DiscountGid, spec.Code, found.Status ?? "");
    }

    public async Task AddRedeemCodesAsync(string shop, string discountGid, IReadOnlyList<string> codes, CancellationToken ct)
    {
        foreach (var batch in codes.Chunk(MaxArrayInput))
        {
            var variables = new JsonObject
            {
                ["discountId"] = discountGid,
                ["codes"] = new JsonArray([.. batch.Select(c => new JsonObject { ["code"] = c })]),
            };
            var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.DiscountRedeemCodeBulkAdd), AdminDocuments.DiscountRedeemCodeBulkAdd, variables, ct);
            Payload(response, "discountRedeemCodeBulkAdd", nameof(AdminDocuments.DiscountRedeemCodeBulkAdd));
        }
    }

    public async Task<FoundDiscount?> FindDiscountByCodeAsync(string shop, string code, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.CodeDiscountNodeByCode), AdminDocuments.CodeDiscountNodeByCode,
            new JsonObject { ["code"] = code }, ct);
        var node = response.Data.GetProperty("codeDiscountNodeByCode");
        return node.ValueKind == JsonValueKind.Object ? ReadDiscount(node) : null;
    }

    public Task<FoundDiscount> DeactivateDiscountAsync(string shop, string discountGid, CancellationToken ct) =>
        SetDiscountStateAsync(shop, discountGid, nameof(AdminDocuments.DiscountCodeDeactivate), AdminDocuments.DiscountCodeDeactivate, "discountCodeDeactivate", ct);

    public Task<FoundDiscount> ActivateDiscountAsync(string shop, string discountGid, CancellationToken ct) =>
        SetDiscountStateAsync(shop, discountGid, nameof(AdminDocuments.DiscountCodeActivate), AdminDocuments.DiscountCodeActivate, "discountCodeActivate", ct);

    // Both set a state rather than change it by an amount, so the general pipeline may retry them after a lost answer.
    private async Task<FoundDiscount> SetDiscountStateAsync(string shop, string gid, string operation, string document, string field, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, operation, document, new JsonObject { ["id"] = gid }, ct);
        return ReadDiscount(Payload(response, field, operation).GetProperty("codeDiscountNode"));
    }

    public async Task<StoreCreditResult> CreditStoreAccountAsync(
        string shop, string customerGid, decimal amount, string currency, DateTimeOffset? expiresAt, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (currency is not { Length: 3 }) throw new ArgumentException("Currency is an ISO 4217 code such as USD.", nameof(currency));
        var credit = new JsonObject
        {
            ["creditAmount"] = new JsonObject { ["amount"] = Money(amount), ["currencyCode"] = currency.ToUpperInvariant() },
            ["expiresAt"] = expiresAt is { } at ? Timestamp(at) : null,
        };
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.StoreCreditAccountCredit), AdminDocuments.StoreCreditAccountCredit,
            new JsonObject { ["id"] = customerGid, ["credit"] = credit }, ct, idempotent: false);
        var t = Payload(response, "storeCreditAccountCredit", nameof(AdminDocuments.StoreCreditAccountCredit))
            .GetProperty("storeCreditAccountTransaction");
        return new StoreCreditResult(
            t.GetProperty("id").GetString()!,
            t.GetProperty("account").GetProperty("id").GetString()!,
            Decimal(t.GetProperty("amount").GetProperty("amount")),
            t.GetProperty("amount").GetProperty("currencyCode").GetString()!,
            Decimal(t.GetProperty("balanceAfterTransaction").GetProperty("amount")),
            OptionalDate(t, "expiresAt"));
    }

    public async Task<long?> GetCustomerOrderCountAsync(string shop, string customerGid, CancellationToken ct)
    {
        var response = await graphQL.ExecuteAsync(shop, nameof(AdminDocuments.CustomerOrderCount), AdminDocuments.CustomerOrderCount,
            new JsonObject { ["id"] = customerGid }, ct);
        var customer = response.Data.GetProperty("customer");
        return customer.ValueKind == JsonValueKind.Object ? UnsignedInt64(customer.GetProperty("numberOfOrders")) : null;
    }

    /// <summary>The mutation's payload, after turning a non-empty userErrors into <see cref="ShopifyUserErrorException"/>.</summary>
    private static JsonElement Payload(ShopifyResponse response, string field, string operation)
    {
        var payload = response.Data.GetProperty(field);
        if (payload.TryGetProperty("userErrors", out var errors) && errors.GetArrayLength() > 0)
        {
            var list = errors.EnumerateArray().Select(e => new ShopifyUserError(
                e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.Array ? [.. f.EnumerateArray().Select(x => x.ToString())] : [],
                e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null,
                e.GetProperty("message").GetString() ?? "")).ToList();
            throw new ShopifyUserErrorException(operation, list, response.RequestId);
        }
        return payload;
    }

    private static FoundDiscount ReadDiscount(JsonElement node)
    {
        var d = node.GetProperty("codeDiscount");
        return new FoundDiscount(
            node.GetProperty("id").GetString()!,
            d.GetProperty("__typename").GetString()!,
            OptionalString(d, "title"),
            OptionalString(d, "status"),
            OptionalDate(d, "startsAt"),
            OptionalDate(d, "endsAt"),
            d.TryGetProperty("asyncUsageCount", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt32() : null);
    }
}
