using System.Globalization;

namespace ShopifyReferral.Data;

/// <summary>
/// How the app stores money: whole minor units of the currency (cents for USD, yen for JPY, fils for KWD) in a
/// 64-bit integer column named <c>*_minor</c>. Shopify sends decimal strings ("80.00", "43.20"); storing those as text
/// and casting in SQL gave SQLite an INTEGER for one row and a REAL for the next, so sums depended on the storage
/// engine. Integers add up exactly in every provider, and the exponent below turns them back into amounts.
/// </summary>
public static class Money
{
    // ISO 4217 currencies whose minor unit is not the hundredth; every other code has 2 decimals.
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    /// <summary>Decimal places of the currency's minor unit; 2 when the currency is unknown or not yet known.</summary>
    public static int Exponent(string? currency) => currency is not null && Exponents.TryGetValue(currency, out var e) ? e : 2;

    /// <summary>
    /// The amount in minor units. Shopify never sends more decimals than the currency has; should it, the amount is
    /// rounded half away from zero to the minor unit, as a payment would be.
    /// </summary>
    public static long ToMinor(decimal amount, string? currency) =>
        (long)Math.Round(amount * Scale(currency), MidpointRounding.AwayFromZero);

    /// <summary>Minor units as an amount with exactly the currency's decimals: 8000 cents is 80.00, not 80.</summary>
    public static decimal FromMinor(long minor, string? currency)
    {
        var magnitude = minor < 0 ? (ulong)-(minor + 1) + 1 : (ulong)minor;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, minor < 0, (byte)Exponent(currency));
    }

    public static decimal? FromMinor(long? minor, string? currency) => minor is { } m ? FromMinor(m, currency) : null;

    /// <summary>A Shopify decimal string ("43.20") in minor units; null when absent or not a number.</summary>
    public static long? Parse(string? amount, string? currency) =>
        decimal.TryParse(amount, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? ToMinor(d, currency) : null;

    /// <summary>The amount as Shopify writes it: invariant culture, exactly the currency's decimals ("80.00", "1000", "1.250").</summary>
    public static string Format(long minor, string? currency) =>
        FromMinor(minor, currency).ToString("F" + Exponent(currency), CultureInfo.InvariantCulture);

    private static decimal Scale(string? currency) => Exponent(currency) switch { 0 => 1m, 3 => 1000m, 4 => 10000m, _ => 100m };
}
