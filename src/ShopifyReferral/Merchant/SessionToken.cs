using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ShopifyReferral.Merchant;

/// <summary>A verified Shopify session token: the one shop (and admin user) a merchant request may act for.</summary>
/// <remarks>UserId is the token's sub: the admin user, or for an extension token the customer's gid (absent for a guest).</remarks>
public sealed record ShopSession(string Shop, string? UserId, string? SessionId);

/// <summary>Which Shopify surface minted a token: the merchant's admin, or a checkout or customer-account UI extension.</summary>
public enum SessionTokenKind { Admin, Extension }

/// <summary>
/// Verifies Shopify session tokens: a JWT signed HS256 with the client secret (the
/// previous secret too during a rotation), aud = client id, exp/nbf with at most 10 s of skew. Anything else, alg
/// "none" included, is refused with a reason for the log. The two kinds share secret and audience, so the claims
/// tell them apart, and each endpoint takes only its own: an admin token has dest <c>https://{shop}</c> and
/// iss <c>https://{shop}/admin</c>, a buyer's extension token dest <c>{shop}</c> (the https form is accepted too)
/// and no admin issuer. Without that split a buyer could lift a checkout token and call the merchant API.
/// </summary>
public static class SessionToken
{
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(10);

    public static ShopSession? Verify(
        string jwt, string clientId, IEnumerable<string> secrets, DateTimeOffset now, out string why, SessionTokenKind kind = SessionTokenKind.Admin)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return Fail("not a JWT", out why);
        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url(parts[0])).RootElement;
            claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
            signature = Base64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return Fail("malformed token", out why);
        }
        if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
            return Fail("malformed token", out why);
        if (Str(header, "alg") != "HS256") return Fail($"algorithm '{Str(header, "alg")}' is not HS256", out why);

        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var valid = secrets.Where(s => !string.IsNullOrEmpty(s))
            .Any(s => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(s), signed), signature));
        if (!valid) return Fail("bad signature", out why);

        if (Str(claims, "aud") != clientId) return Fail("audience is not this app's client id", out why);
        if (Num(claims, "exp") is not { } exp || now > DateTimeOffset.FromUnixTimeSeconds(exp) + Skew) return Fail("expired", out why);
        if (Num(claims, "nbf") is { } nbf && now < DateTimeOffset.FromUnixTimeSeconds(nbf) - Skew) return Fail("not valid yet", out why);

        var dest = Str(claims, "dest");
        var shop = ShopFromUrl(dest) ?? (kind == SessionTokenKind.Extension && Shops.ShopDomain.IsValid(dest) ? dest!.ToLowerInvariant() : null);
        if (shop is null) return Fail("dest is not a myshopify.com shop URL", out why);
        var iss = Str(claims, "iss");
        var adminIssuer = iss is not null && iss.EndsWith("/admin", StringComparison.Ordinal);
        if (kind == SessionTokenKind.Extension && adminIssuer) return Fail("an admin token is not an extension token", out why);
        if (kind == SessionTokenKind.Admin && !adminIssuer) return Fail("iss is not a shop admin: an extension token is not an admin token", out why);
        // Shopify documents no iss for extension tokens, so only the admin one is compared with dest.
        if (kind == SessionTokenKind.Admin && ShopFromUrl(iss![..^"/admin".Length]) != shop) return Fail("iss and dest name different shops", out why);

        why = "";
        return new ShopSession(shop, Str(claims, "sub"), Str(claims, "sid"));
    }

    /// <summary>Signs claims the way Shopify does; the sandbox and tests mint tokens with it.</summary>
    public static string Sign(object claims, string secret, string alg = "HS256")
    {
        var head = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" }));
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var sig = alg == "none" ? "" : Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(head + "." + body)));
        return $"{head}.{body}.{sig}";
    }

    private static string? ShopFromUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme == "https" && Shops.ShopDomain.IsValid(u.Host) && u.AbsolutePath is "/" or ""
            ? u.Host.ToLowerInvariant()
            : null;

    private static ShopSession? Fail(string reason, out string why)
    {
        why = reason;
        return null;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static byte[] Base64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + (4 - b.Length % 4) % 4, '='));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
