namespace ShopifyReferral.Sandbox.State;

/// <summary>
/// A store customer. <see cref="NumberOfOrders"/> is what GraphQL <c>Customer.numberOfOrders</c> returns:
/// the only source for "first order?" checks since REST 2022-04 dropped orders_count (docs/shopify-facts.md#webhook-payloads).
/// </summary>
public sealed record SandboxCustomer(long Id, string? Email, string? FirstName = null, string? LastName = null, long NumberOfOrders = 0)
{
    public string Gid => $"gid://shopify/Customer/{Id}";
}
