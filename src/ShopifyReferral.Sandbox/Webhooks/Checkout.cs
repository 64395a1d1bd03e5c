using System.Text;
using ShopifyReferral.Sandbox.Discounts;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// Plays a storefront checkout: refuses a discount code that is not active, records the order, counts it against the
/// customer (and the discount code used), then fires orders/create (pending) and orders/paid, each its own merchant event.
/// </summary>
internal sealed class Checkout(SandboxState state, WebhookSender sender, SandboxOptions options)
{
    /// <summary>Prices the discount code on an order: (amount deducted, REST discount type). Part of the discount feature.</summary>
    public Func<ShopState, SandboxOrder, (decimal Amount, string? Type)> PriceDiscount { get; set; } = DiscountPricing.Price;

    /// <summary>Runs after an order is recorded; the discount feature counts code usage here.</summary>
    public Action<ShopState, PlacedOrder> OnOrderPlaced { get; set; } = DiscountPricing.CountUse;

    public async Task<IReadOnlyList<WebhookDeliveryResult>> PlaceAsync(string shopDomain, SandboxOrder order,
        Uri target, CancellationToken ct)
    {
        var shop = state.Shop(shopDomain);
        var (placed, customer) = Record(shop, order);
        var created = await Send(shop, placed, customer, "orders/create", target, ct);
        // Payload times have whole seconds: the payment is a later update, so it must read as one.
        var paidAt = order.PlacedAt?.AddMinutes(1) ?? options.Time.GetUtcNow();
        if (paidAt < placed.UpdatedAt.AddSeconds(1)) paidAt = placed.UpdatedAt.AddSeconds(1);
        var paid = placed with { FinancialStatus = "paid", UpdatedAt = paidAt };
        shop.ReplaceOrder(paid);
        var paidDelivery = await Send(shop, paid, customer, "orders/paid", target, ct);
        return [created, paidDelivery];
    }

    /// <summary>
    /// The same order with no webhooks: paid, the "webhook was lost" case reconciliation must catch; or pending, an
    /// order whose payment has not come in (bank transfer, cash on delivery).
    /// </summary>
    public PlacedOrder RecordWithoutWebhooks(string shopDomain, SandboxOrder order, bool paid)
    {
        var shop = state.Shop(shopDomain);
        var placed = Record(shop, order).Order;
        if (!paid) return placed;
        var done = placed with { FinancialStatus = "paid" };
        shop.ReplaceOrder(done);
        return done;
    }

    private (PlacedOrder Order, SandboxCustomer? Customer) Record(ShopState shop, SandboxOrder order)
    {
        DiscountPricing.EnsureUsable(shop, order, options.Time.GetUtcNow()); // before anything is recorded or counted
        var customer = order.CustomerId is { } cid ? CountOrder(shop, cid, order) : null;
        var (discount, type) = PriceDiscount(shop, order);
        var now = order.PlacedAt ?? options.Time.GetUtcNow();
        var placed = shop.AddOrder((id, number) => new PlacedOrder(
            order.Id != 0 ? order.Id : id, number, order, customer?.Id, discount, type, "pending", now, now));
        OnOrderPlaced(shop, placed);
        return (placed, customer);
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
