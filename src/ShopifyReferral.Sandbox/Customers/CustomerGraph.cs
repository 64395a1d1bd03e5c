using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.StoreCredit;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Customers;

/// <summary>The Customer object; <c>numberOfOrders</c> is an UnsignedInt64, so a string on the wire.</summary>
internal static class CustomerGraph
{
    public static GraphObject Customer(SandboxCustomer c, ResolveContext ctx) => new("Customer", "Node", "HasStoreCreditAccounts")
    {
        { "id", c.Gid },
        { "legacyResourceId", Scalars.UnsignedInt64(c.Id) },
        { "email", c.Email },
        { "defaultEmailAddress", c.Email is null ? null : new GraphObject("CustomerEmailAddress") { { "emailAddress", c.Email } } },
        { "firstName", c.FirstName },
        { "lastName", c.LastName },
        { "displayName", $"{c.FirstName} {c.LastName}".Trim() is { Length: > 0 } n ? n : c.Email ?? "" },
        { "numberOfOrders", Scalars.UnsignedInt64(c.NumberOfOrders) },
        { "state", "ENABLED" },
        { "verifiedEmail", true },
        { "storeCreditAccounts", args => Connection.Of("StoreCreditAccountConnection",
            ctx.Shop.StoreCreditAccounts.Where(a => a.CustomerId == c.Id).ToList(), args,
            a => a.Gid, a => StoreCreditGraph.Account(a, ctx)) },
    };
}
