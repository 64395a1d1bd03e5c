using System.Globalization;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.StoreCredit;

/// <summary>
/// <c>storeCreditAccountCredit(id:, creditInput:)</c> (docs/shopify-facts.md#store-credit). <c>id</c> may be an account or a
/// Customer; a customer id creates the account for that currency on first credit.
/// </summary>
internal sealed class StoreCreditResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("storeCreditAccountCredit", Credit);
        registry.Mutation("storeCreditAccountDebit", StoreCreditDebitResolver.Debit);
    }

    private static object Credit(ResolveContext ctx, FieldArgs args)
    {
        var gid = args.Required("id").ToString();
        var input = args.Required("creditInput") as JsonObject ?? [];
        var amountText = input["creditAmount"]?["amount"]?.ToString();
        var currency = input["creditAmount"]?["currencyCode"]?.ToString() ?? "";
        var expiresText = input["expiresAt"]?.ToString();
        var shop = ctx.Shop;

        lock (shop.Gate)
        {
            long? customerId = Scalars.GidId(gid, "Customer");
            StoreCreditAccount? account = null;
            if (Scalars.GidId(gid, "StoreCreditAccount") is { } accountId)
            {
                account = shop.FindAccount(accountId);
                if (account is null) return Fail("ACCOUNT_NOT_FOUND", "Store credit account does not exist.", "id");
                if (account.Currency != currency)
                    return Fail("MISMATCHING_CURRENCY", "The currency provided does not match the currency of the store credit account.",
                        "creditInput", "creditAmount", "currencyCode");
                customerId = account.CustomerId;
            }
            else if (customerId is null || shop.FindCustomer(customerId.Value) is null)
            {
                return Fail("OWNER_NOT_FOUND", "Owner does not exist.", "id");
            }

            if (!decimal.TryParse(amountText, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
                return Fail("NEGATIVE_OR_ZERO_AMOUNT", "A positive amount must be used to credit a store credit account.",
                    "creditInput", "creditAmount", "amount");
            if (account is null && currency != shop.Currency && !ctx.Options.PresentmentCurrencies.Contains(currency))
                return Fail("UNSUPPORTED_CURRENCY", "The currency provided is not currently supported.",
                    "creditInput", "creditAmount", "currencyCode");
            DateTimeOffset? expiresAt = null;
            if (expiresText is not null)
            {
                if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) || e <= ctx.Now)
                    return Fail("EXPIRES_AT_IN_PAST", "The expiry date must be in the future.", "creditInput", "expiresAt");
                expiresAt = e;
            }

            var tx = shop.Credit(customerId.Value, currency, amount, ctx.Now, expiresAt);
            var updated = shop.FindAccount(tx.AccountId)!;
            return Payload(StoreCreditGraph.Transaction(tx, updated, ctx), []);
        }
    }

    private static GraphObject Fail(string code, string message, params string[] field) =>
        Payload(null, [new UserError(field, code, message)]);

    private static GraphObject Payload(GraphObject? transaction, IEnumerable<UserError> errors) =>
        new("StoreCreditAccountCreditPayload")
        {
            { "storeCreditAccountTransaction", transaction },
            { "userErrors", UserError.Graph(errors, "StoreCreditAccountCreditUserError") },
        };
}
