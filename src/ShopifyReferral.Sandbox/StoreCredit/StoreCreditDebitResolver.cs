using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.StoreCredit;

/// <summary>
/// <c>storeCreditAccountDebit(id:, debitInput: {debitAmount})</c>: <c>id</c> is an account or its owner (a Customer,
/// whose account in the debit's currency is used). Shopify never takes an account below zero (INSUFFICIENT_FUNDS),
/// and an account's currency must match the amount's (MISMATCHING_CURRENCY).
/// </summary>
internal static class StoreCreditDebitResolver
{
    public static object Debit(ResolveContext ctx, FieldArgs args)
    {
        var gid = args.Required("id").ToString();
        var input = args.Required("debitInput") as JsonObject ?? [];
        var amountText = input["debitAmount"]?["amount"]?.ToString();
        var currency = input["debitAmount"]?["currencyCode"]?.ToString() ?? "";
        var shop = ctx.Shop;
        lock (shop.Gate)
        {
            var account = Scalars.GidId(gid, "StoreCreditAccount") is { } accountId ? shop.FindAccount(accountId)
                : Scalars.GidId(gid, "Customer") is { } customerId ? shop.FindAccount(customerId, currency) : null;
            if (account is null) return Fail("ACCOUNT_NOT_FOUND", "Store credit account does not exist.", "id");
            if (account.Currency != currency)
                return Fail("MISMATCHING_CURRENCY", "The currency provided does not match the currency of the store credit account.",
                    "debitInput", "debitAmount", "currencyCode");
            if (!decimal.TryParse(amountText, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
                return Fail("NEGATIVE_OR_ZERO_AMOUNT", "A positive amount must be used to debit a store credit account.",
                    "debitInput", "debitAmount", "amount");
            if (shop.Debit(account.Id, amount, ctx.Now) is not { } tx)
                return Fail("INSUFFICIENT_FUNDS", "The store credit account does not have sufficient funds to satisfy the request.",
                    "debitInput", "debitAmount", "amount");
            return Payload(StoreCreditGraph.Transaction(tx, shop.FindAccount(account.Id)!, ctx), []);
        }
    }

    private static GraphObject Fail(string code, string message, params string[] field) =>
        Payload(null, [new UserError(field, code, message)]);

    private static GraphObject Payload(GraphObject? transaction, IEnumerable<UserError> errors) =>
        new("StoreCreditAccountDebitPayload")
        {
            { "storeCreditAccountTransaction", transaction },
            { "userErrors", UserError.Graph(errors, "StoreCreditAccountDebitUserError") },
        };
}
