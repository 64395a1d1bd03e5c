using GraphQLParser.AST;
using ShopifyReferral.Sandbox.Customers;
using ShopifyReferral.Sandbox.Discounts;
using ShopifyReferral.Sandbox.GraphQL.Resolvers;
using ShopifyReferral.Sandbox.Orders;
using ShopifyReferral.Sandbox.StoreCredit;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>What a root resolver can see: the shop it runs against, the sandbox settings and the token's scopes.</summary>
internal sealed record ResolveContext(ShopState Shop, SandboxOptions Options, IReadOnlySet<string>? Scopes = null)
{
    public DateTimeOffset Now => Options.Time.GetUtcNow();

    /// <summary>
    /// Shopify's answer to a field the token has no scope for: a top-level ACCESS_DENIED error, the field null.
    /// A write scope implies its read scope.
    /// </summary>
    public void Require(string field, string scope)
    {
        if (Scopes is null || Scopes.Contains(scope)) return;
        if (scope.StartsWith("read_", StringComparison.Ordinal) && Scopes.Contains("write_" + scope[5..])) return;
        throw new GraphQLFieldException(
            $"Access denied for {field} field. Required access: `{scope}` access scope.", "ACCESS_DENIED");
    }
}

internal delegate object? RootResolver(ResolveContext context, FieldArgs args);

/// <summary>One operation group (a file under Resolvers/) adds its root fields here.</summary>
internal interface IResolverGroup
{
    void Register(ResolverRegistry registry);
}

/// <summary>Root fields of QueryRoot and Mutation, by name, as in the Admin schema.</summary>
internal sealed class ResolverRegistry
{
    private readonly Dictionary<string, RootResolver> _query = [];
    private readonly Dictionary<string, RootResolver> _mutation = [];

    /// <summary>The operation groups the sandbox speaks. Add a group here to serve more of the Admin API.</summary>
    public static ResolverRegistry CreateDefault() => Build(
        new ShopResolvers(),
        new DiscountCreateResolvers(),
        new DiscountResolvers(),
        new RedeemCodeBulkResolvers(),
        new CustomerResolvers(),
        new CustomerTagResolvers(),
        new StoreCreditResolvers(),
        new Products.ProductResolvers(),
        new GiftCards.GiftCardResolvers(),
        new GiftCards.GiftCardQueryResolvers(),
        new OrderResolvers(),
        new WebhookSubscriptions.WebhookSubscriptionResolvers(),
        new Flow.FlowResolvers());

    public static ResolverRegistry Build(params IResolverGroup[] groups)
    {
        var registry = new ResolverRegistry();
        foreach (var g in groups) g.Register(registry);
        return registry;
    }

    public void Query(string field, RootResolver resolve) => _query.Add(field, resolve);

    public void Mutation(string field, RootResolver resolve) => _mutation.Add(field, resolve);

    public IReadOnlyDictionary<string, RootResolver> For(OperationType operation) =>
        operation == OperationType.Mutation ? _mutation : _query;

    public static string RootTypeName(OperationType operation) =>
        operation == OperationType.Mutation ? "Mutation" : "QueryRoot";
}
