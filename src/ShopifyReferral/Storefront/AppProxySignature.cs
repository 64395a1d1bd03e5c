using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Storefront;

/// <summary>What a verified app-proxy request tells us: the shop, and the shopper when one is logged in.</summary>
public sealed record ProxyRequest(string Shop, long? CustomerId, string PathPrefix);

/// <summary>
/// Verifies Shopify's app-proxy signature (docs/shopify-facts.md#app-proxy-signature): drop <c>signature</c>, join each key's decoded values
/// with commas, sort the <c>key=value</c> strings, concatenate them with NO separator, HMAC-SHA256 with the client
/// secret, hex; compared in constant time. Repeated shop/signature/timestamp/hmac and a timestamp more than 90 s
/// away are refused (the hardening Shopify's own library added in 2026). Only after this is
/// <c>logged_in_customer_id</c> believed.
/// </summary>
public static class AppProxySignature
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(90);
    private static readonly string[] SingleValued = ["shop", "signature", "timestamp", "hmac"];

    public static ProxyRequest? Verify(string queryString, IEnumerable<string> secrets, DateTimeOffset now, out string why)
    {
        var query = QueryHelpers.ParseQuery(queryString);
        foreach (var key in SingleValued)
            if (query.TryGetValue(key, out var v) && v.Count > 1) return Fail($"'{key}' appears more than once", out why);

        if (!query.TryGetValue("signature", out var sig) || !TryHex(sig.ToString(), out var given))
            return Fail("no hex signature", out why);
        var message = Encoding.UTF8.GetBytes(Message(query));
        var valid = secrets.Where(s => !string.IsNullOrEmpty(s))
            .Any(s => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(s), message), given));
        if (!valid) return Fail("bad signature", out why);

        if (!long.TryParse(Value(query, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
            return Fail("no timestamp", out why);
        if ((now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > Window) return Fail("stale timestamp", out why);

        var shop = Value(query, "shop");
        if (!ShopDomain.IsValid(shop)) return Fail("shop is not a myshopify.com domain", out why);

        var customer = Value(query, "logged_in_customer_id");
        long? customerId = null;
        if (customer.Length > 0)
        {
            if (!long.TryParse(customer, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
                return Fail("logged_in_customer_id is not a customer id", out why);
            customerId = id;
        }
        why = "";
        return new ProxyRequest(shop.ToLowerInvariant(), customerId, Value(query, "path_prefix"));
    }

    /// <summary>The signed message; also used by tests and tools to sign as Shopify does.</summary>
    public static string Message(IDictionary<string, StringValues> query) =>
        string.Concat(query.Where(p => p.Key != "signature")
            .Select(p => $"{p.Key}={string.Join(",", p.Value.ToArray())}")
            .Order(StringComparer.Ordinal));

    public static string Sign(string queryString, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(Message(QueryHelpers.ParseQuery(queryString)))));

    private static string Value(Dictionary<string, StringValues> query, string key) =>
        query.TryGetValue(key, out var v) ? v.ToString() : "";

    private static bool TryHex(string s, out byte[] bytes)
    {
        bytes = [];
        if (s.Length != 64) return false;
        try
        {
            bytes = Convert.FromHexString(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static ProxyRequest? Fail(string reason, out string why)
    {
        why = reason;
        return null;
    }
}
