using System.Text.RegularExpressions;

namespace ShopifyReferral.Shops;

/// <summary>The canonical shop domain, checked before it goes into any URL we call or redirect to (docs/shopify-facts.md#shop-domains).</summary>
public static partial class ShopDomain
{
    public static bool IsValid(string? shop) => shop is not null && Pattern().IsMatch(shop);

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-]*\.myshopify\.com$")]
    private static partial Regex Pattern();
}
