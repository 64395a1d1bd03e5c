using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ShopifyReferral.Sandbox.OAuth;

/// <summary>
/// How Shopify signs what it sends to apps: OAuth query strings (hex HMAC over the sorted, &amp;-joined, %20-encoded
/// parameters: docs/shopify-facts.md#install-and-callback-signature) and session tokens (HS256 JWTs:
/// docs/shopify-facts.md#session-tokens). Written here independently of the app's
/// verifier, so a mistake on one side is not mirrored on the other.
/// </summary>
public static class ShopifySigning
{
    /// <summary>Adds <c>hmac</c> to <paramref name="query"/> and returns the encoded query string.</summary>
    public static string SignQuery(IDictionary<string, string> query, string secret)
    {
        static string Pair(KeyValuePair<string, string> p) => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value);
        var message = string.Join("&", query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(Pair));
        var hmac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(message)));
        return string.Join("&", query.Append(KeyValuePair.Create("hmac", hmac)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(Pair));
    }

    public static string SessionToken(string shop, string clientId, string secret, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = $"https://{shop}/admin", ["dest"] = $"https://{shop}", ["aud"] = clientId, ["sub"] = "1",
            ["exp"] = (now + (lifetime ?? TimeSpan.FromMinutes(1))).ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString(), ["sid"] = Guid.NewGuid().ToString("N"),
        };
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body));
        return head + "." + body + "." + B64(signature);
    }

    /// <summary>
    /// A token as a checkout or customer-account UI extension gets from <c>shopify.sessionToken.get()</c>: dest is the
    /// bare shop domain, there is no iss, it lives 5 minutes, and sub (the customer's gid) is there only for a
    /// logged-in buyer.
    /// </summary>
    public static string ExtensionToken(string shop, string clientId, string secret, DateTimeOffset now, string? customerGid)
    {
        var claims = new Dictionary<string, object>
        {
            ["dest"] = shop, ["aud"] = clientId, ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString(),
        };
        if (customerGid is not null) claims["sub"] = customerGid;
        var head = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var body = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body));
        return head + "." + body + "." + B64(signature);
    }

    /// <summary>The shop a session token was issued for, when it is signed by <paramref name="secret"/>, for this client, and live.</summary>
    internal static string? VerifySessionToken(string jwt, string clientId, string secret, DateTimeOffset now)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
            if (!CryptographicOperations.FixedTimeEquals(expected, FromB64(parts[2]))) return null;
            using var header = JsonDocument.Parse(FromB64(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "HS256") return null;
            using var claims = JsonDocument.Parse(FromB64(parts[1]));
            var c = claims.RootElement;
            if (c.GetProperty("aud").GetString() != clientId) return null;
            if (DateTimeOffset.FromUnixTimeSeconds(c.GetProperty("exp").GetInt64()) < now.AddSeconds(-10)) return null;
            var dest = c.GetProperty("dest").GetString() ?? "";
            return dest.StartsWith("https://", StringComparison.Ordinal) ? dest["https://".Length..] : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
