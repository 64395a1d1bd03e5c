using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// Builds the REST Order JSON that orders/* webhooks carry (docs/shopify-facts.md#webhook-payloads): snake_case, int64 ids,
/// money as strings, <c>customer</c> null for guests, no <c>checkout_id</c> (removed in 2026-04) and
/// no <c>orders_count</c> on the customer (removed in 2022-04).
/// </summary>
internal static class OrderPayload
{
    public static JsonObject Build(PlacedOrder order, SandboxCustomer? customer, string currency)
    {
        var o = order.Source;
        var total = order.TotalPrice;
        var discount = order.DiscountAmount;
        var payload = new JsonObject
        {
            ["id"] = order.Id,
            ["admin_graphql_api_id"] = order.Gid,
            ["name"] = order.Name,
            ["order_number"] = order.OrderNumber,
            ["email"] = o.Email,
            ["contact_email"] = o.Email,
            ["phone"] = null,
            ["created_at"] = Time(order.CreatedAt),
            ["updated_at"] = Time(order.UpdatedAt),
            ["processed_at"] = Time(order.CreatedAt),
            ["currency"] = currency,
            ["presentment_currency"] = currency,
            ["subtotal_price"] = Money(order.SubtotalPrice),
            ["total_line_items_price"] = Money(o.Subtotal),
            ["total_discounts"] = Money(discount),
            ["total_tax"] = Money(o.Tax),
            ["total_price"] = Money(total),
            ["current_total_price"] = Money(order.CurrentTotal),
            ["current_subtotal_price"] = Money(order.CurrentSubtotal),
            ["current_total_discounts"] = Money(discount),
            ["total_price_set"] = MoneySet(total, currency),
            ["subtotal_price_set"] = MoneySet(order.SubtotalPrice, currency),
            ["current_total_price_set"] = MoneySet(order.CurrentTotal, currency),
            ["current_subtotal_price_set"] = MoneySet(order.CurrentSubtotal, currency),
            ["total_discounts_set"] = MoneySet(discount, currency),
            ["financial_status"] = order.FinancialStatus,
            ["fulfillment_status"] = null,
            ["confirmed"] = true,
            ["cancelled_at"] = order.CancelledAt is { } at ? Time(at) : null,
            ["cancel_reason"] = order.CancelledAt is null ? null : "customer",
            ["closed_at"] = null,
            ["test"] = o.Test,
            ["discount_codes"] = DiscountCodes(order),
            ["discount_applications"] = DiscountApplications(order),
            ["browser_ip"] = o.BrowserIp,
            ["client_details"] = new JsonObject
            {
                ["accept_language"] = "en-US", ["browser_height"] = null, ["browser_ip"] = o.BrowserIp,
                ["browser_width"] = null, ["session_hash"] = null, ["user_agent"] = o.UserAgent,
            },
            ["landing_site"] = o.LandingSite ?? (o.DiscountCode is { } c ? $"/discount/{Uri.EscapeDataString(c)}?redirect=%2F" : "/"),
            ["landing_site_ref"] = null,
            ["referring_site"] = o.ReferringSite,
            ["source_name"] = o.SourceName,
            ["checkout_token"] = order.Id.ToString("x", CultureInfo.InvariantCulture).PadLeft(32, '0'),
            ["note"] = null,
            ["note_attributes"] = new JsonArray([.. o.NoteAttributes.Select(kv =>
                (JsonNode)new JsonObject { ["name"] = kv.Key, ["value"] = kv.Value })]),
            ["tags"] = "",
            ["payment_gateway_names"] = new JsonArray("bogus"),
            ["customer"] = customer is null ? null : Customer(customer, order.CreatedAt, currency),
            ["billing_address"] = o.WithShippingAddress ? Address(o) : null,
            ["shipping_address"] = o.WithShippingAddress ? Address(o) : null,
            ["line_items"] = new JsonArray(LineItem(order)),
        };
        return payload;
    }

    private static JsonArray DiscountCodes(PlacedOrder order) => order.Source.DiscountCode is { } code
        ? new JsonArray(new JsonObject
        {
            ["code"] = code,
            ["amount"] = Money(order.DiscountAmount),
            ["type"] = order.DiscountType ?? "fixed_amount",
        })
        : [];

    private static JsonArray DiscountApplications(PlacedOrder order) => order.Source.DiscountCode is { } code
        ? new JsonArray(new JsonObject
        {
            ["target_type"] = order.DiscountType == "shipping" ? "shipping_line" : "line_item",
            ["type"] = "discount_code",
            ["value"] = order.DiscountAmount.ToString("0.0#", CultureInfo.InvariantCulture),
            ["value_type"] = order.DiscountType == "percentage" ? "percentage" : "fixed_amount",
            ["allocation_method"] = "across",
            ["target_selection"] = "all",
            ["code"] = code,
        })
        : [];

    private static JsonObject Customer(SandboxCustomer c, DateTimeOffset createdAt, string currency) => new()
    {
        ["id"] = c.Id,
        ["admin_graphql_api_id"] = c.Gid,
        ["email"] = c.Email,
        ["first_name"] = c.FirstName,
        ["last_name"] = c.LastName,
        ["state"] = "enabled",
        ["verified_email"] = true,
        ["currency"] = currency,
        ["created_at"] = Time(createdAt),
        ["updated_at"] = Time(createdAt),
    };

    private static JsonObject Address(SandboxOrder o) => new()
    {
        ["first_name"] = o.FirstName, ["last_name"] = o.LastName, ["address1"] = "1 Main St",
        ["city"] = "Austin", ["province_code"] = "TX", ["country_code"] = "US", ["zip"] = "78701",
    };

    private static JsonObject LineItem(PlacedOrder order) => new()
    {
        ["id"] = order.Id + 1,
        ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{order.Id + 1}",
        ["price"] = Money(order.Source.Subtotal),
        ["quantity"] = 1,
        ["sku"] = "SKU-1",
        ["title"] = "Sandbox product",
        ["gift_card"] = false,
        ["discount_allocations"] = order.Source.DiscountCode is null || order.DiscountType == "shipping"
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["amount"] = Money(order.DiscountAmount), ["discount_application_index"] = 0 }),
    };

    internal static JsonObject MoneySet(decimal amount, string currency) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
        ["presentment_money"] = new JsonObject { ["amount"] = Money(amount), ["currency_code"] = currency },
    };

    internal static string Money(decimal d) => d.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
