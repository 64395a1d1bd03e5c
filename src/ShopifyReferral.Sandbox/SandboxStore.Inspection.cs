using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox;

/// <summary>A code discount as a test sees it: status evaluated at the sandbox's current time.</summary>
public sealed record SandboxDiscountView(
    string Gid,
    string Type,
    string Title,
    IReadOnlyList<string> Codes,
    string Status,
    decimal? Percentage,
    decimal? Amount,
    decimal? MinimumSubtotal,
    int? UsageLimit,
    bool AppliesOncePerCustomer,
    int UsageCount,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    IReadOnlyList<string> CustomerGids)
{
    /// <summary>The products and variants the discount applies to; empty for the whole order.</summary>
    public IReadOnlyList<string> ProductGids { get; init; } = [];
}

/// <summary>Test-side control and inspection of a shop: faults, customers, orders, rewards.</summary>
public sealed partial class SandboxStore
{
    /// <summary>Faults for the shop's Admin GraphQL endpoint, e.g. <c>store.Faults(shop).FailNext(2, 503)</c>.</summary>
    public ShopFaults Faults(string shop) => State.Shop(shop).Faults;

    /// <summary>The shop's GraphQL cost bucket; <c>SetAvailable(0)</c> makes the next call THROTTLED.</summary>
    public Throttle.LeakyBucket Throttle(string shop) => State.Shop(shop).Bucket;

    public IReadOnlyList<SandboxDiscountView> Discounts(string shop)
    {
        var now = Options.Time.GetUtcNow();
        return [.. State.Shop(shop).Discounts.Select(d => new SandboxDiscountView(
            d.Gid,
            d.Kind == DiscountKind.Basic ? "DiscountCodeBasic" : "DiscountCodeFreeShipping",
            d.Title,
            [.. d.Codes.Select(c => c.Code)],
            d.Status(now),
            d.Percentage,
            d.Amount,
            d.MinimumSubtotal,
            d.UsageLimit,
            d.AppliesOncePerCustomer,
            d.UsageCount,
            d.StartsAt,
            d.EndsAt,
            d.CustomerIds) { ProductGids = [.. d.ProductIds, .. d.VariantIds] })];
    }

    /// <summary>The merchant deletes a code discount in the Shopify admin (by its gid); false when there was none.</summary>
    public bool DeleteDiscount(string shop, string discountGid) =>
        long.TryParse(discountGid[(discountGid.LastIndexOf('/') + 1)..], out var id) && State.Shop(shop).RemoveDiscount(id);

    public IReadOnlyList<StoreCreditAccount> StoreCreditAccounts(string shop) => State.Shop(shop).StoreCreditAccounts;

    public IReadOnlyList<StoreCreditTransaction> StoreCreditTransactions(string shop) => State.Shop(shop).StoreCreditTransactions;

    /// <summary>The customer's balance in <paramref name="currency"/>; 0 when no account exists yet.</summary>
    public decimal StoreCreditBalance(string shop, long customerId, string currency) =>
        State.Shop(shop).StoreCreditAccounts.FirstOrDefault(a => a.CustomerId == customerId && a.Currency == currency)?.Balance ?? 0m;

    /// <summary>
    /// The customer pays with store credit at checkout: an ORDER_PAYMENT debit, which no app debit can undo later.
    /// False when the account is missing or short.
    /// </summary>
    public bool SpendStoreCredit(string shop, long customerId, string currency, decimal amount)
    {
        var state = State.Shop(shop);
        lock (state.Gate)
            return state.FindAccount(customerId, currency) is { } a && state.Debit(a.Id, amount, Options.Time.GetUtcNow(), "ORDER_PAYMENT") is not null;
    }

    public IReadOnlyList<PlacedOrder> Orders(string shop) => State.Shop(shop).Orders;

    /// <summary>Adds a customer (id 0 picks one) with a given order count, for "first order?" checks.</summary>
    public SandboxCustomer AddCustomer(string shop, string? email = "buyer@example.com", long numberOfOrders = 0, long id = 0) =>
        State.Shop(shop).UpsertCustomer(new SandboxCustomer(id, email, NumberOfOrders: numberOfOrders));

    /// <summary>Records an order without sending webhooks (a lost delivery, or one not yet delivered), visible to the order queries; paid unless told otherwise.</summary>
    public PlacedOrder RecordOrder(string shop, SandboxOrder order, bool paid = true) => _checkout.RecordWithoutWebhooks(shop, order, paid);
}
