using ShopifyReferral.Storefront;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>App-proxy query strings signed as Shopify signs them (docs/shopify-facts.md#app-proxy-signature), for a TestApp's secret.</summary>
public static class ProxyQuery
{
    public const string Prefix = "/apps/referral";

    /// <summary>"?shop=…&amp;logged_in_customer_id=…&amp;path_prefix=…&amp;timestamp=…&amp;signature=…"; customer null = anonymous.</summary>
    public static string Signed(string shop, long? customerId, DateTimeOffset at, string secret = TestApp.Secret, string prefix = Prefix, string extra = "")
    {
        var query = $"?shop={shop}&logged_in_customer_id={customerId}&path_prefix={Uri.EscapeDataString(prefix)}&timestamp={at.ToUnixTimeSeconds()}{extra}";
        return query + "&signature=" + AppProxySignature.Sign(query, secret);
    }
}
