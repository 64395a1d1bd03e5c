using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox;

/// <summary>Inspection of what metafieldsSet and tagsAdd left on a customer.</summary>
public sealed partial class SandboxStore
{
    public IReadOnlyList<SandboxMetafield> CustomerMetafields(string shop, long customerId) =>
        State.Shop(shop).Metafields($"gid://shopify/Customer/{customerId}");

    public IReadOnlyList<string> CustomerTags(string shop, long customerId) => State.Shop(shop).Tags($"gid://shopify/Customer/{customerId}");
}
