using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.GiftCards;

/// <summary>
/// <c>giftCard(id:)</c> and <c>giftCards(query:)</c> (scope read_gift_cards). The search takes the terms the app and
/// tests use: a bare word matches codes (contained, any case) and the customer's name; customer_id:, status:
/// (enabled, disabled) and id: filter.
/// </summary>
internal sealed class GiftCardQueryResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry)
    {
        registry.Query("giftCard", (ctx, args) =>
        {
            ctx.Require("giftCard", "read_gift_cards");
            return Scalars.GidId(args.Required("id").ToString(), "GiftCard") is { } id && ctx.Shop.FindGiftCard(id) is { } g ? GiftCardGraph.Card(g, ctx) : null;
        });
        registry.Query("giftCards", (ctx, args) =>
        {
            ctx.Require("giftCards", "read_gift_cards");
            var cards = ctx.Shop.GiftCards.Where(g => Matches(g, args.String("query"), ctx.Shop)).OrderBy(g => g.Id).ToList();
            return Connection.Of("GiftCardConnection", cards, args, g => g.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                g => GiftCardGraph.Card(g, ctx));
        });
    }

    private static bool Matches(SandboxGiftCard g, string? query, ShopState shop)
    {
        foreach (var term in (query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = term.IndexOf(':') is var i and > 0 ? (term[..i], term[(i + 1)..]) : ("", term);
            var customer = g.CustomerId is { } cid ? shop.FindCustomer(cid) : null;
            var ok = key switch
            {
                "" => g.Code.Contains(value, StringComparison.OrdinalIgnoreCase)
                      || customer?.FirstName?.Contains(value, StringComparison.OrdinalIgnoreCase) == true
                      || customer?.LastName?.Contains(value, StringComparison.OrdinalIgnoreCase) == true,
                "customer_id" => g.CustomerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) == value,
                "status" => value == (g.Enabled ? "enabled" : "disabled"),
                "id" => g.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == value,
                _ => true, // a filter the sandbox does not model narrows nothing
            };
            if (!ok) return false;
        }
        return true;
    }
}
