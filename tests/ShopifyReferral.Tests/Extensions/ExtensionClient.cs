using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ShopifyReferral.Merchant;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>Calls /extensions as a UI extension does: fetch from Shopify's origin with the session token as bearer.</summary>
public sealed class ExtensionClient(EngineHarness h)
{
    public const string Origin = "https://extensions.shopifycdn.com";

    /// <summary>A token signed here with the app's signer, so each claim can be made wrong on purpose.</summary>
    public string Token(
        string? sub = null, string? dest = null, string? aud = null, string? secret = null, TimeSpan? expiresIn = null,
        string alg = "HS256", string? iss = null)
    {
        var now = h.Time.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["dest"] = dest ?? EngineHarness.Shop, ["aud"] = aud ?? h.Store.Options.ClientId,
            ["exp"] = (now + (expiresIn ?? TimeSpan.FromMinutes(5))).ToUnixTimeSeconds(), ["nbf"] = now.ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString(),
        };
        if (sub is not null) claims["sub"] = sub;
        if (iss is not null) claims["iss"] = iss;
        return SessionToken.Sign(claims, secret ?? h.Store.Options.ClientSecret, alg);
    }

    public static string Customer(long id) => $"gid://shopify/Customer/{id}";

    public static string Order(long id) => $"gid://shopify/Order/{id}";

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ReferralAsync(string token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/extensions/referral") { Content = JsonContent.Create(body) };
        return await SendAsync(request, token);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> ReferrerAsync(string token) =>
        await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/extensions/referrer"), token);

    private async Task<(HttpStatusCode, JsonElement, HttpResponseMessage)> SendAsync(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("Origin", Origin);
        var response = await h.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    /// <summary>The number of referrer rows: a refused call must change nothing.</summary>
    public long Referrers() => h.App.Count("SELECT COUNT(*) FROM referrers");
}
