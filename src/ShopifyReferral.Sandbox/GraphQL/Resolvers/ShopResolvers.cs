namespace ShopifyReferral.Sandbox.GraphQL.Resolvers;

/// <summary><c>shop { ... }</c>: the few Shop fields an app reads at install time.</summary>
internal sealed class ShopResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry) => registry.Query("shop", (ctx, _) => new GraphObject("Shop", "Node")
    {
        { "id", $"gid://shopify/Shop/{ctx.Shop.Id}" },
        { "name", ctx.Shop.Name },
        { "myshopifyDomain", ctx.Shop.Domain },
        { "currencyCode", ctx.Shop.Currency },
        { "ianaTimezone", "UTC" },
        { "email", $"owner@{ctx.Shop.Domain}" },
    });
}
