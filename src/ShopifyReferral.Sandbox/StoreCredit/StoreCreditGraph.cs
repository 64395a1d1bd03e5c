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
        { "transactions", args => Connection.Of("StoreCreditAccountTransactionConnection", Transactions(a, ctx, args), args,
            t => t.Gid, t => Transaction(t, a, ctx)) },
    };

    /// <summary>
    /// The account's history, oldest first unless reversed; the query's <c>type:credit</c> / <c>type:debit</c> term
    /// filters by kind (other terms are ignored here, as Shopify ignores values it does not accept).
    /// </summary>
    private static List<StoreCreditTransaction> Transactions(StoreCreditAccount a, ResolveContext ctx, FieldArgs args)
    {
        var list = ctx.Shop.StoreCreditTransactions.Where(t => t.AccountId == a.Id).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToList();
        var query = args.String("query") ?? "";
        if (query.Contains("type:debit", StringComparison.OrdinalIgnoreCase)) list = [.. list.Where(t => t.IsDebit)];
        else if (query.Contains("type:credit", StringComparison.OrdinalIgnoreCase)) list = [.. list.Where(t => !t.IsDebit)];
        if (args.Bool("reverse") == true) list.Reverse();
        return list;
    }

    public static GraphObject Transaction(StoreCreditTransaction t, StoreCreditAccount account, ResolveContext ctx)
    {
        var graph = new GraphObject(t.TypeName, "Node", "StoreCreditAccountTransaction")
        {
            { "id", t.Gid },
            { "amount", Scalars.Money(t.Amount, account.Currency) },
            { "balanceAfterTransaction", Scalars.Money(t.BalanceAfter, account.Currency) },
            { "createdAt", t.CreatedAt },
            { "event", t.Event },
            { "origin", null },
            // The account as it stands now, which for a fresh transaction is the balance after it.
            { "account", _ => Account(ctx.Shop.FindAccount(account.Id) ?? account, ctx) },
        };
        if (!t.IsDebit)
        {
            graph.Add("remainingAmount", Scalars.Money(t.Amount, account.Currency));
            graph.Add("expiresAt", t.ExpiresAt);
        }
        return graph;
    }
}
