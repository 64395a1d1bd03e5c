using System.Globalization;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>How Shopify's Admin GraphQL serializes its custom scalars and common small objects.</summary>
internal static class Scalars
{
    /// <summary>DateTime: ISO-8601 in UTC with a Z, second precision (e.g. 2026-11-21T15:03:11Z).</summary>
    public static string DateTime(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Decimal is a string with at least one fractional digit: 10 -> "10.0", 87.20 -> "87.2".</summary>
    public static string Decimal(decimal d) => d.ToString("0.0###########", CultureInfo.InvariantCulture);

    /// <summary>UnsignedInt64 is serialized as a string so JavaScript clients do not lose precision.</summary>
    public static string UnsignedInt64(long n) => n.ToString(CultureInfo.InvariantCulture);

    public static GraphObject Money(decimal amount, string currency) => new("MoneyV2")
    {
        { "amount", Decimal(amount) },
        { "currencyCode", currency },
    };

    /// <summary>Reads the numeric tail of a gid://shopify/Type/123 id; null when it is not that type.</summary>
    public static long? GidId(string? gid, string type)
    {
        var prefix = $"gid://shopify/{type}/";
        if (gid is null || !gid.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var tail = gid[prefix.Length..];
        var q = tail.IndexOf('?');
        if (q >= 0) tail = tail[..q];
        return long.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
