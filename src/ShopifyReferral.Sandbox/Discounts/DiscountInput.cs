using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Discounts;

/// <summary>
/// Reads DiscountCodeBasicInput / DiscountCodeFreeShippingInput into a <see cref="SandboxDiscount"/>, or
/// the userErrors Shopify gives for it. Field paths start with the argument name, as Shopify's do.
/// </summary>
internal static class DiscountInput
{
    public static (SandboxDiscount? Discount, List<UserError> Errors) Read(JsonObject input, string argument,
        DiscountKind kind, long id, DateTimeOffset now)
    {
        var errors = new List<UserError>();
        void Fail(string code, string message, params string[] path) => errors.Add(new([argument, .. path], code, message));

        var title = Str(input["title"]);
        var code = Str(input["code"]);
        if (string.IsNullOrWhiteSpace(title)) Fail("BLANK", "Title can't be blank", "title");
        if (string.IsNullOrWhiteSpace(code)) Fail("BLANK", "Code can't be blank", "code");
        else if (code.Length > 255) Fail("TOO_LONG", "Code is too long (maximum is 255 characters)", "code");
        else if (code.Contains('\n') || code.Contains('\r')) Fail("INVALID", "Code can't contain newline characters.", "code");

        var startsAt = Date(input["startsAt"]);
        var endsAt = Date(input["endsAt"]);
        if (startsAt is null) Fail("BLANK", "Starts at can't be blank", "startsAt");
        if (startsAt is { } s && endsAt is { } e && e <= s)
            Fail("END_DATE_BEFORE_START_DATE", "Ends at needs to be after starts_at", "endsAt");

        if (input["context"] is not null && input["customerSelection"] is not null)
            Fail("CONFLICT", "Only one of context or customerSelection can be provided.", "context");
        var buyers = input["context"] ?? input["customerSelection"];
        if (buyers is null) Fail("BLANK", "Context can't be blank", "context");
        var customerIds = (buyers?["customers"]?["add"] as JsonArray ?? []).Select(n => Str(n) ?? "").ToList();

        decimal? percentage = null, amount = null;
        var appliesOnEach = false;
        if (kind == DiscountKind.Basic)
        {
            var value = input["customerGets"]?["value"];
            if (input["customerGets"] is null) Fail("BLANK", "Customer gets can't be blank", "customerGets");
            else if (value is null) Fail("BLANK", "Value can't be blank", "customerGets", "value");
            else
            {
                percentage = Num(value["percentage"]);
                amount = Num(value["discountAmount"]?["amount"]);
                appliesOnEach = Bool(value["discountAmount"]?["appliesOnEachItem"]);
                if (percentage is not null && amount is not null)
                    Fail("TOO_MANY_ARGUMENTS", "Only one of percentage or discountAmount can be provided.", "customerGets", "value");
                else if (percentage is null && amount is null)
                    Fail("BLANK", "Value can't be blank", "customerGets", "value");
                if (percentage is < 0m or > 1m)
                    Fail("VALUE_OUTSIDE_RANGE", "Value must be between 0.0 and 1.0", "customerGets", "value", "percentage");
                if (amount is <= 0m)
                    Fail("GREATER_THAN", "Value must be greater than 0", "customerGets", "value", "discountAmount", "amount");
            }
        }

        var products = input["customerGets"]?["items"]?["products"];
        var productIds = (products?["productsToAdd"] as JsonArray ?? []).Select(n => Str(n) ?? "").ToList();
        var variantIds = (products?["productVariantsToAdd"] as JsonArray ?? []).Select(n => Str(n) ?? "").ToList();
        if (kind == DiscountKind.Basic && input["customerGets"]?["items"] is { } items && items["all"] is null && products is null && items["collections"] is null)
            Fail("BLANK", "Items can't be blank", "customerGets", "items");

        var minSubtotal = Num(input["minimumRequirement"]?["subtotal"]?["greaterThanOrEqualToSubtotal"]);
        var minQuantity = Num(input["minimumRequirement"]?["quantity"]?["greaterThanOrEqualToQuantity"]);
        if (minSubtotal is not null && minQuantity is not null)
            Fail("MINIMUM_SUBTOTAL_AND_QUANTITY_RANGE_BOTH_PRESENT",
                "Minimum subtotal and quantity range can't both be present", "minimumRequirement");
        var usageLimit = (int?)Num(input["usageLimit"]);
        if (usageLimit is <= 0) Fail("GREATER_THAN", "Usage limit must be greater than 0", "usageLimit");

        if (errors.Count > 0) return (null, errors);
        var combines = input["combinesWith"];
        return (new SandboxDiscount
        {
            Id = id,
            Kind = kind,
            Title = title!,
            Codes = [new SandboxRedeemCode(id + 1, code!.Trim())],
            StartsAt = startsAt!.Value,
            EndsAt = endsAt,
            CustomerIds = customerIds,
            ProductIds = productIds,
            VariantIds = variantIds,
            Percentage = percentage,
            Amount = amount,
            AppliesOnEachItem = appliesOnEach,
            MinimumSubtotal = minSubtotal,
            MinimumQuantity = (int?)minQuantity,
            MaximumShippingPrice = Num(input["maximumShippingPrice"]),
            UsageLimit = usageLimit,
            AppliesOncePerCustomer = Bool(input["appliesOncePerCustomer"]),
            CombinesWithOrderDiscounts = Bool(combines?["orderDiscounts"]),
            CombinesWithProductDiscounts = Bool(combines?["productDiscounts"]),
            CombinesWithShippingDiscounts = Bool(combines?["shippingDiscounts"]),
            CreatedAt = now,
            UpdatedAt = now,
        }, errors);
    }

    private static string? Str(JsonNode? n) => n?.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : n?.ToString();

    private static bool Bool(JsonNode? n) => n?.GetValueKind() == JsonValueKind.True;

    /// <summary>Decimal scalars arrive as strings ("10.00"), Float/Int as numbers; accept both.</summary>
    private static decimal? Num(JsonNode? n) => n?.GetValueKind() switch
    {
        JsonValueKind.Number => decimal.Parse(n.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.String when decimal.TryParse(n.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static DateTimeOffset? Date(JsonNode? n) =>
        Str(n) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
