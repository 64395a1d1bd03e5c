namespace ShopifyReferral.Sandbox.State;

/// <summary>A customer's store credit account; Shopify keeps one per currency (docs/shopify-facts.md#store-credit).</summary>
public sealed record StoreCreditAccount(long Id, long CustomerId, string Currency, decimal Balance)
{
    public string Gid => $"gid://shopify/StoreCreditAccount/{Id}";
}

/// <summary>
/// One movement on an account. A debit's amount is negative, as Shopify reports it; Event says what caused it
/// (ADJUSTMENT for an app's credit or debit, ORDER_PAYMENT for credit spent at checkout).
/// </summary>
public sealed record StoreCreditTransaction(long Id, long AccountId, decimal Amount, decimal BalanceAfter,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Event = "ADJUSTMENT")
{
    public bool IsDebit => Amount < 0;

    public string TypeName => IsDebit ? "StoreCreditAccountDebitTransaction" : "StoreCreditAccountCreditTransaction";

    public string Gid => $"gid://shopify/{TypeName}/{Id}";
}
