using ShopifyReferral.Sandbox.Customers;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.GiftCards;

internal static class GiftCardGraph
{
    public static GraphObject Card(SandboxGiftCard g, ResolveContext ctx) => new("GiftCard", "Node")
    {
        { "id", g.Gid },
        { "balance", Scalars.Money(g.Balance, g.Currency) },
        { "initialValue", Scalars.Money(g.InitialValue, g.Currency) },
        { "createdAt", g.CreatedAt },
        { "updatedAt", g.DeactivatedAt ?? g.CreatedAt },
        { "deactivatedAt", g.DeactivatedAt },
        { "enabled", g.Enabled },
        { "expiresOn", g.ExpiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        { "isRedeemable", g.Enabled && g.Balance > 0 && (g.ExpiresOn is not { } e || e >= DateOnly.FromDateTime(ctx.Now.UtcDateTime)) },
        { "lastCharacters", g.LastCharacters },
        // Shopify masks all but the last four characters, in groups of four.
        { "maskedCode", "•••• •••• •••• " + g.LastCharacters },
        { "note", g.Note },
        { "templateSuffix", null },
        { "crossCurrencyRedemptionStrategy", "MARKET_FX" },
        { "customer", _ => g.CustomerId is { } id && ctx.Shop.FindCustomer(id) is { } c ? CustomerGraph.Customer(c, ctx) : null },
        { "order", null },
        { "lineItem", null },
    };
}
