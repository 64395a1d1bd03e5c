using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.WebhookSubscriptions;

/// <summary>
/// <c>webhookSubscriptionCreate(topic:, webhookSubscription: {uri})</c> and <c>webhookSubscriptions(first:)</c>.
/// The same topic to the same address twice is a userError, as on Shopify. Compliance topics cannot be made here:
/// they are not in the WebhookSubscriptionTopic enum (docs/shopify-facts.md#compliance-webhooks-and-uninstall).
/// </summary>
internal sealed class WebhookSubscriptionResolvers : IResolverGroup
{
    private static readonly HashSet<string> Topics =
    [
        "ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "ORDERS_CANCELLED", "ORDERS_FULFILLED", "REFUNDS_CREATE",
        "APP_UNINSTALLED", "CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "SHOP_UPDATE",
        "DISCOUNTS_CREATE", "DISCOUNTS_UPDATE", "DISCOUNTS_DELETE", "DISCOUNTS_REDEEMCODE_ADDED", "DISCOUNTS_REDEEMCODE_REMOVED",
    ];

    public void Register(ResolverRegistry registry)
    {
        registry.Mutation("webhookSubscriptionCreate", Create);
        registry.Query("webhookSubscriptions", (ctx, args) =>
            Connection.Of("WebhookSubscriptionConnection", ctx.Shop.WebhookSubscriptions, args, s => s.Gid, s => Node(s, ctx)));
    }

    private static object Create(ResolveContext ctx, FieldArgs args)
    {
        var topic = args.Required("topic").ToString();
        var uri = args.Required("webhookSubscription")["uri"]?.ToString() ?? "";
        if (!Topics.Contains(topic))
            throw new GraphQLFieldException($"Argument 'topic' on Field 'webhookSubscriptionCreate' has an invalid value ({topic}).", "argumentLiteralsIncompatible");
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http"))
            return Payload(null, ctx, new UserError(["webhookSubscription", "callbackUrl"], null, "Address is invalid"));
        var created = ctx.Shop.AddWebhookSubscription(topic, uri, ctx.Now);
        return created is null
            ? Payload(null, ctx, new UserError(["webhookSubscription", "callbackUrl"], null, "Address for this topic has already been taken"))
            : Payload(created, ctx);
    }

    private static GraphObject Payload(SandboxWebhookSubscription? s, ResolveContext ctx, params UserError[] errors) =>
        new("WebhookSubscriptionCreatePayload")
        {
            { "webhookSubscription", s is null ? null : Node(s, ctx) },
            { "userErrors", UserError.Graph(errors, "UserError") },
        };

    private static GraphObject Node(SandboxWebhookSubscription s, ResolveContext ctx) => new("WebhookSubscription", "Node", "LegacyInteroperability")
    {
        { "id", s.Gid },
        { "legacyResourceId", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        { "topic", s.Topic },
        { "uri", s.Uri },
        { "callbackUrl", s.Uri },
        { "format", "JSON" },
        { "apiVersion", new GraphObject("ApiVersion") { { "handle", ctx.Options.WebhookApiVersion } } },
        { "createdAt", s.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
        { "updatedAt", s.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) },
    };
}
