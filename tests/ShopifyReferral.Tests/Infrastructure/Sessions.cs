using ShopifyReferral.Merchant;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>Session tokens as App Bridge would send them for a TestApp (client id "test-client-id").</summary>
public static class Sessions
{
    public static string Token(
        string shop, DateTimeOffset? now = null, string secret = TestApp.Secret, string aud = "test-client-id",
        TimeSpan? expiresIn = null, string alg = "HS256", string? dest = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        return SessionToken.Sign(new
        {
            iss = $"https://{shop}/admin", dest = dest ?? $"https://{shop}", aud, sub = "42", sid = "s-1",
            exp = (at + (expiresIn ?? TimeSpan.FromMinutes(1))).ToUnixTimeSeconds(), nbf = at.AddSeconds(-1).ToUnixTimeSeconds(),
            iat = at.ToUnixTimeSeconds(), jti = Guid.NewGuid().ToString(),
        }, secret, alg);
    }

    public static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        return request;
    }
}
