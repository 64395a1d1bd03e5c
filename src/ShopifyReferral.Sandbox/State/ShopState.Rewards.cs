namespace ShopifyReferral.Sandbox.State;

/// <summary>The reward side of a shop: code discounts and store credit.</summary>
public sealed partial class ShopState
{
    private readonly List<SandboxDiscount> _discounts = [];
    private readonly List<StoreCreditAccount> _accounts = [];
    private readonly List<StoreCreditTransaction> _transactions = [];
    private readonly List<SandboxBulkCreation> _bulkCreations = [];

    public IReadOnlyList<SandboxDiscount> Discounts { get { lock (Gate) return [.. _discounts]; } }
    public IReadOnlyList<StoreCreditAccount> StoreCreditAccounts { get { lock (Gate) return [.. _accounts]; } }
    public IReadOnlyList<StoreCreditTransaction> StoreCreditTransactions { get { lock (Gate) return [.. _transactions]; } }

    /// <summary>Case-insensitive, as Shopify matches codes (docs/shopify-facts.md#discount-codes).</summary>
    public SandboxDiscount? FindDiscountByCode(string code)
    {
        lock (Gate) return _discounts.FirstOrDefault(d => d.Codes.Any(c => string.Equals(c.Code, code, StringComparison.OrdinalIgnoreCase)));
    }

    public SandboxDiscount? FindDiscount(long id) { lock (Gate) return _discounts.FirstOrDefault(d => d.Id == id); }

    internal long NewId() => _sandbox.NextId();

    /// <summary>Adds under the lock; callers check uniqueness inside the same lock.</summary>
    internal void AddDiscount(SandboxDiscount discount) { lock (Gate) _discounts.Add(discount); }

    internal void ReplaceDiscount(SandboxDiscount discount)
    {
        lock (Gate)
        {
            var i = _discounts.FindIndex(d => d.Id == discount.Id);
            if (i >= 0) _discounts[i] = discount;
        }
    }

    /// <summary>What a merchant deleting a discount in the admin does: it is gone, codes and all.</summary>
    internal bool RemoveDiscount(long id) { lock (Gate) return _discounts.RemoveAll(d => d.Id == id) > 0; }

    internal void AddBulkCreation(SandboxBulkCreation creation) { lock (Gate) _bulkCreations.Add(creation); }

    internal SandboxBulkCreation? FindBulkCreation(long id) { lock (Gate) return _bulkCreations.FirstOrDefault(c => c.Id == id); }

    internal StoreCreditAccount? FindAccount(long id) { lock (Gate) return _accounts.FirstOrDefault(a => a.Id == id); }

    internal StoreCreditAccount? FindAccount(long customerId, string currency)
    {
        lock (Gate) return _accounts.FirstOrDefault(a => a.CustomerId == customerId && a.Currency == currency);
    }

    internal StoreCreditTransaction Credit(long customerId, string currency, decimal amount, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        lock (Gate)
        {
            var account = FindAccount(customerId, currency) ?? new StoreCreditAccount(NewId(), customerId, currency, 0m);
            _accounts.Remove(account);
            account = account with { Balance = account.Balance + amount };
            _accounts.Add(account);
            var tx = new StoreCreditTransaction(NewId(), account.Id, amount, account.Balance, now, expiresAt);
            _transactions.Add(tx);
            return tx;
        }
    }

    /// <summary>
    /// Takes <paramref name="amount"/> off the account; null when the balance is short (Shopify never takes an
    /// account below zero). The caller checks the account exists inside the same lock.
    /// </summary>
    internal StoreCreditTransaction? Debit(long accountId, decimal amount, DateTimeOffset now, string @event = "ADJUSTMENT")
    {
        lock (Gate)
        {
            var account = FindAccount(accountId);
            if (account is null || account.Balance < amount) return null;
            _accounts.Remove(account);
            account = account with { Balance = account.Balance - amount };
            _accounts.Add(account);
            var tx = new StoreCreditTransaction(NewId(), account.Id, -amount, account.Balance, now, null, @event);
            _transactions.Add(tx);
            return tx;
        }
    }
}
