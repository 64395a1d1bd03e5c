namespace ShopifyReferral.Sandbox.State;

/// <summary>A customer's store credit account; Shopify keeps one per currency (docs/shopify-facts.md#store-credit).</summary>
public sealed record StoreCreditAccount(long Id, long CustomerId, string Currency, decimal Balance)
{
    public string Gid => $"gid://shopify/StoreCreditAccount/{Id}";
}

public sealed record StoreCreditTransaction(long Id, long AccountId, decimal Amount, decimal BalanceAfter,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt)
{
    public string Gid => $"gid://shopify/StoreCreditAccountCreditTransaction/{Id}";
}
