using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ShopifyReferral.Install;

/// <summary>
/// The hmac Shopify puts on the install request and the OAuth callback (docs/shopify-facts.md#install-and-callback-signature): every query
/// parameter except hmac and signature, sorted by key, joined as key=value with '&amp;', values URL-encoded with
/// %20 for spaces (never '+'), HMAC-SHA256 with the client secret, lower-case hex, compared in constant time.
/// </summary>
public static class OAuthSignature
{
    /// <summary>Lib policy, not a Shopify rule: a timestamp more than 90 s away from now is stale.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromSeconds(90);

    public static string Message(IEnumerable<KeyValuePair<string, string>> query) => string.Join("&", query
        .Where(p => p.Key is not ("hmac" or "signature"))
        .OrderBy(p => p.Key, StringComparer.Ordinal)
        .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    public static string Sign(string message, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));

    /// <summary>
    /// Null when the query is genuine and fresh; otherwise why not. Any of <paramref name="secrets"/> may have
    /// signed it (a secret rotation keeps the old one valid for a while).
    /// </summary>
    public static string? Check(IEnumerable<KeyValuePair<string, string>> query, IEnumerable<string?> secrets, DateTimeOffset now)
    {
        var pairs = query.ToList();
        var hmac = pairs.FirstOrDefault(p => p.Key == "hmac").Value;
        if (string.IsNullOrEmpty(hmac)) return "the hmac parameter is missing";
        byte[] given;
        try
        {
            given = Convert.FromHexString(hmac);
        }
        catch (FormatException)
        {
            return "the hmac is not hex";
        }
        var message = Encoding.UTF8.GetBytes(Message(pairs));
        var valid = secrets.Where(s => !string.IsNullOrEmpty(s)).Any(s =>
            CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(s!), message), given));
        if (!valid) return "the hmac does not match";

        var timestamp = pairs.FirstOrDefault(p => p.Key == "timestamp").Value;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return "the timestamp is missing or not a number";
        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > TimestampTolerance) return $"the timestamp is {age.TotalSeconds:F0} s away from now (more than 90 s)";
        return null;
    }
}
