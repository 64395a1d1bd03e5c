using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

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
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    /// <summary>
    /// Validates with the framework's JsonWebTokenHandler: HS256 only, any of the secrets, aud, exp (required) and nbf
    /// against the app's clock with <see cref="Skew"/> of leeway, then the dest and iss rule of <paramref name="kind"/> as the
    /// issuer validator. Null with <paramref name="why"/> (a reason for the log and the 401) when refused.
    /// </summary>
    public static async Task<(ShopSession? Session, string Why)> VerifyAsync(
        string jwt, string clientId, IEnumerable<string?> secrets, TimeProvider time, SessionTokenKind kind = SessionTokenKind.Admin)
    {
        if (!Handler.CanReadToken(jwt)) return (null, "not a JWT");
        var result = await Handler.ValidateTokenAsync(jwt, Parameters(clientId, secrets, time, kind));
        if (!result.IsValid) return (null, Reason(result, jwt));
        var token = (JsonWebToken)result.SecurityToken;
        var claims = result.ClaimsIdentity;
        return (new ShopSession(ShopOf(token, kind)!, claims.FindFirst("sub")?.Value, claims.FindFirst("sid")?.Value), "");
    }

    private static TokenValidationParameters Parameters(string clientId, IEnumerable<string?> secrets, TimeProvider time, SessionTokenKind kind) => new()
    {
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        IssuerSigningKeys = secrets.Where(s => !string.IsNullOrEmpty(s)).Select(s => Key(s!)).ToList(),
        ValidateIssuerSigningKey = false, // our own secrets: nothing about the key itself to check
        ValidAudience = clientId,
        RequireExpirationTime = true,
        // The app's clock, not the machine's: tests stop it, and every other expiry in the app reads it too.
        LifetimeValidator = (notBefore, expires, _, _) => Lifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        IssuerValidator = (issuer, token, _) => DestRule((JsonWebToken)token, issuer, kind),
        NameClaimType = "sub",
    };

    private static bool Lifetime(DateTime? notBefore, DateTime? expires, DateTime now)
    {
        if (expires is null) throw new SecurityTokenNoExpirationException("no exp");
        if (now > expires.Value + Skew) throw new SecurityTokenExpiredException("expired") { Expires = expires.Value };
        if (notBefore is { } nbf && now < nbf - Skew) throw new SecurityTokenNotYetValidException("not valid yet") { NotBefore = nbf };
        return true;
    }

    /// <summary>
    /// HMAC pads a key shorter than its 64-byte block with zero bytes (RFC 2104), so a secret padded to 32 bytes signs
    /// exactly as the secret itself. The handler refuses HS256 keys under 256 bits; Shopify's client secrets are longer,
    /// but a short one (a development or test secret) must verify the same tokens, not fail closed for a key-size rule.
    /// </summary>
    private static SymmetricSecurityKey Key(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < 32) Array.Resize(ref bytes, 32);
        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>
    /// The two kinds share secret and audience, so dest and iss tell them apart: admin has dest https://{shop} and iss
    /// https://{shop}/admin; an extension has dest {shop} (or the https form) and no admin issuer. The shop becomes a claim.
    /// </summary>
    private static string DestRule(JsonWebToken token, string? iss, SessionTokenKind kind)
    {
        var shop = ShopOf(token, kind);
        if (shop is null) throw new SecurityTokenInvalidIssuerException("dest is not a myshopify.com shop URL");
        var adminIssuer = iss is not null && iss.EndsWith("/admin", StringComparison.Ordinal);
        if (kind == SessionTokenKind.Extension && adminIssuer) throw new SecurityTokenInvalidIssuerException("an admin token is not an extension token");
        if (kind == SessionTokenKind.Admin && !adminIssuer)
            throw new SecurityTokenInvalidIssuerException("iss is not a shop admin: an extension token is not an admin token");
        // Shopify documents no iss for extension tokens, so only the admin one is compared with dest.
        if (kind == SessionTokenKind.Admin && ShopFromUrl(iss![..^"/admin".Length]) != shop)
            throw new SecurityTokenInvalidIssuerException("iss and dest name different shops");
        return iss ?? shop;
    }

    private static string? ShopOf(JsonWebToken token, SessionTokenKind kind)
    {
        var dest = token.TryGetPayloadValue<string>("dest", out var d) ? d : null;
        return ShopFromUrl(dest) ?? (kind == SessionTokenKind.Extension && Shops.ShopDomain.IsValid(dest) ? dest!.ToLowerInvariant() : null);
    }

    /// <summary>The framework's refusal, said the way the log and the 401 have always said it.</summary>
    private static string Reason(TokenValidationResult result, string jwt) => result.Exception switch
    {
        // alg "none" carries no signature, which the handler reports as such: name the algorithm for both.
        SecurityTokenInvalidAlgorithmException or SecurityTokenInvalidSignatureException when Handler.ReadJsonWebToken(jwt).Alg is var alg
            && alg != SecurityAlgorithms.HmacSha256 => $"algorithm '{alg}' is not HS256",
        SecurityTokenInvalidIssuerException e => e.Message,
        SecurityTokenInvalidAudienceException => "audience is not this app's client id",
        SecurityTokenExpiredException or SecurityTokenNoExpirationException => "expired",
        SecurityTokenNotYetValidException => "not valid yet",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "bad signature",
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        _ => "refused",
    };

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

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
