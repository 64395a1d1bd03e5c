using System.Text;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// Plays a storefront checkout: records the order, counts it against the customer (and the discount code
/// used), then fires orders/create (pending) and orders/paid, each its own merchant event.
/// </summary>
internal sealed class Checkout(SandboxState state, WebhookSender sender, SandboxOptions options)
{
    /// <summary>Prices the discount code on an order: (amount deducted, REST discount type). Part of the discount feature.</summary>
    public Func<ShopState, SandboxOrder, (decimal Amount, string? Type)> PriceDiscount { get; set; } =
        (_, o) => (o.DiscountAmount ?? 0m, o.DiscountCode is null ? null : "fixed_amount");

    /// <summary>Runs after an order is recorded; the discount feature counts code usage here.</summary>
    public Action<ShopState, PlacedOrder> OnOrderPlaced { get; set; } = (_, _) => { };

    public async Task<IReadOnlyList<WebhookDeliveryResult>> PlaceAsync(string shopDomain, SandboxOrder order,
        Uri target, CancellationToken ct)
    {
        var shop = state.Shop(shopDomain);
        var customer = order.CustomerId is { } cid ? CountOrder(shop, cid, order) : null;
        var (discount, type) = PriceDiscount(shop, order);
        var now = options.Time.GetUtcNow();
        var placed = shop.AddOrder((id, number) => new PlacedOrder(
            order.Id != 0 ? order.Id : id, number, order, customer?.Id, discount, type, "pending", now, now));
        OnOrderPlaced(shop, placed);

        var created = await Send(shop, placed, customer, "orders/create", target, ct);
        var paid = placed with { FinancialStatus = "paid", UpdatedAt = options.Time.GetUtcNow() };
        shop.ReplaceOrder(paid);
        var paidDelivery = await Send(shop, paid, customer, "orders/paid", target, ct);
        return [created, paidDelivery];
    }

    private Task<WebhookDeliveryResult> Send(ShopState shop, PlacedOrder order, SandboxCustomer? customer,
        string topic, Uri target, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(OrderPayload.Build(order, customer, shop.Currency).ToJsonString());
        return sender.SendAsync(target, shop.Domain, topic, body, webhookId: null, eventId: null, ct);
    }

    /// <summary>Creates the customer on first order, like checkout does, and bumps numberOfOrders.</summary>
    private static SandboxCustomer CountOrder(ShopState shop, long customerId, SandboxOrder order)
    {
        lock (shop.Gate)
        {
            var existing = shop.FindCustomer(customerId)
                ?? new SandboxCustomer(customerId, order.Email, order.FirstName, order.LastName);
            return shop.UpsertCustomer(existing with { NumberOfOrders = existing.NumberOfOrders + 1 });
        }
    }
}
