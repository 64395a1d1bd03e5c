using ShopifyReferral.Sandbox.Customers;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.StoreCredit;

internal static class StoreCreditGraph
{
    public static GraphObject Account(StoreCreditAccount a, ResolveContext ctx) => new("StoreCreditAccount", "Node")
    {
        { "id", a.Gid },
        { "balance", Scalars.Money(a.Balance, a.Currency) },
        { "owner", _ => ctx.Shop.FindCustomer(a.CustomerId) is { } c ? CustomerGraph.Customer(c, ctx) : null },
    };

    public static GraphObject Transaction(StoreCreditTransaction t, StoreCreditAccount account, ResolveContext ctx) =>
        new("StoreCreditAccountCreditTransaction", "Node", "StoreCreditAccountTransaction")
        {
            { "id", t.Gid },
            { "amount", Scalars.Money(t.Amount, account.Currency) },
            { "balanceAfterTransaction", Scalars.Money(t.BalanceAfter, account.Currency) },
            { "remainingAmount", Scalars.Money(t.Amount, account.Currency) },
            { "createdAt", t.CreatedAt },
            { "expiresAt", t.ExpiresAt },
            { "event", "ADJUSTMENT" },
            { "origin", null },
            // The account as it stands now, which for a fresh credit is the balance after it.
            { "account", _ => Account(ctx.Shop.FindAccount(account.Id) ?? account, ctx) },
        };
}
