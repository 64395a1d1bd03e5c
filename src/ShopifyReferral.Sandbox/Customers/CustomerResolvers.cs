using ShopifyReferral.Sandbox.GraphQL;

namespace ShopifyReferral.Sandbox.Customers;

/// <summary><c>customer(id:)</c>: the "first order?" lookup (numberOfOrders), null when unknown.</summary>
internal sealed class CustomerResolvers : IResolverGroup
{
    public void Register(ResolverRegistry registry) => registry.Query("customer", (ctx, args) =>
        Scalars.GidId(args.Required("id").ToString(), "Customer") is { } id && ctx.Shop.FindCustomer(id) is { } c
            ? CustomerGraph.Customer(c, ctx)
            : null);
}
