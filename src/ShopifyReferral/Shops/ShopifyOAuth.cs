using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

/// <summary>A shop's offline token as Shopify hands it out (docs/shopify-facts.md#token-endpoint).</summary>
public sealed record ShopToken(
    string AccessToken, DateTimeOffset? ExpiresAt, string? RefreshToken, DateTimeOffset? RefreshExpiresAt, string Scope);

/// <summary>
/// POST {shop}/admin/oauth/access_token: an authorization code, or a refresh token, for an expiring
/// offline token. Always asks for expiring tokens: non-expiring ones stop working for public apps in 2027.
/// </summary>
public sealed class ShopifyOAuth(HttpClient http, IOptions<ShopifyOptions> options, TimeProvider time)
{
    public Task<ShopToken> ExchangeCodeAsync(string shop, string code, CancellationToken ct) =>
        PostAsync(shop, new Dictionary<string, string>
        {
            ["client_id"] = options.Value.ClientId, ["client_secret"] = options.Value.ClientSecret,
            ["code"] = code, ["expiring"] = "1",
        }, ct);

    public Task<ShopToken> RefreshAsync(string shop, string refreshToken, CancellationToken ct) =>
        PostAsync(shop, new Dictionary<string, string>
        {
            ["client_id"] = options.Value.ClientId, ["client_secret"] = options.Value.ClientSecret,
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
        }, ct);

    /// <summary>
    /// An embedded app's session token (App Bridge id token) for an expiring offline token: the second way in,
    /// with no redirects (docs/shopify-facts.md#session-tokens).
    /// </summary>
    public Task<ShopToken> ExchangeSessionTokenAsync(string shop, string sessionToken, CancellationToken ct) =>
        PostAsync(shop, new Dictionary<string, string>
        {
            ["client_id"] = options.Value.ClientId, ["client_secret"] = options.Value.ClientSecret,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = sessionToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:id_token",
            ["requested_token_type"] = "urn:shopify:params:oauth:token-type:offline-access-token",
            ["expiring"] = "1",
        }, ct);

    private async Task<ShopToken> PostAsync(string shop, Dictionary<string, string> body, CancellationToken ct)
    {
        var url = options.Value.AdminUrl(shop) + "/admin/oauth/access_token";
        using var response = await http.PostAsJsonAsync(url, body, ct);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            // 4xx: Shopify refused this request; 5xx and 429 are Shopify's trouble, worth a retry later. Only the OAuth
            // error invalid_grant says the grant itself (code or refresh token) is dead.
            var status = (int)response.StatusCode;
            throw new ShopifyOAuthException(shop, $"Token request for {shop} failed: HTTP {status} {Trim(text)}",
                rejected: status is >= 400 and < 500 and not 429, error: OAuthError(text));
        }
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(ct)
            ?? throw new ShopifyOAuthException(shop, $"Token response for {shop} was empty.");
        if (string.IsNullOrEmpty(answer.AccessToken))
            throw new ShopifyOAuthException(shop, $"Token response for {shop} had no access_token.");
        var now = time.GetUtcNow();
        return new ShopToken(
            answer.AccessToken,
            answer.ExpiresIn is > 0 ? now.AddSeconds(answer.ExpiresIn.Value) : null,
            answer.RefreshToken,
            answer.RefreshTokenExpiresIn is > 0 ? now.AddSeconds(answer.RefreshTokenExpiresIn.Value) : null,
            answer.Scope ?? "");
    }

    /// <summary>The <c>error</c> member of an OAuth error body (RFC 6749 §5.2), or null when there is none.</summary>
    private static string? OAuthError(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e)
                && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Trim(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private sealed record TokenAnswer(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("expires_in")] long? ExpiresIn,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("refresh_token_expires_in")] long? RefreshTokenExpiresIn);
}

public sealed class ShopifyOAuthException(string shop, string message, bool rejected = false, string? error = null) : Exception(message)
{
    public string Shop { get; } = shop;

    /// <summary>Shopify said no to this request (HTTP 4xx other than 429), as opposed to failing to answer.</summary>
    public bool Rejected { get; } = rejected;

    /// <summary>The OAuth error code Shopify answered with, e.g. invalid_grant, invalid_request, invalid_client.</summary>
    public string? Error { get; } = error;

    /// <summary>
    /// Shopify's definite refusal of the grant (invalid_grant: the code or refresh token is unknown, used, expired or
    /// revoked). Only this may drop a stored grant; any other refusal may be ours or passing, and is retried later.
    /// </summary>
    public bool GrantRefused => Rejected && Error == "invalid_grant";
}
