using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.OAuth;

/// <summary>
/// <c>POST /{shop}/admin/oauth/access_token</c>: code exchange, refresh and token exchange (docs/shopify-facts.md#token-endpoint). A code
/// or refresh token that is unknown, used, expired or rotated away is refused with the OAuth error <c>invalid_grant</c>;
/// a malformed request gets <c>invalid_request</c>.
/// </summary>
internal static class OAuthApi
{
    public static void MapOAuth(this IEndpointRouteBuilder app, TokenBook tokens, SandboxState state) =>
        app.MapPost("/{shop}/admin/oauth/access_token", (string shop, HttpRequest request) =>
            AccessToken(shop, request, tokens, state));

    private static async Task<IResult> AccessToken(string shop, HttpRequest request, TokenBook tokens, SandboxState state)
    {
        var options = state.Options;
        switch (state.Shop(shop).Faults.TakeToken())
        {
            case Fault.Latency latency:
                await Task.Delay(latency.Delay, request.HttpContext.RequestAborted); // wall-clock: exercises the app's timeouts
                break;
            case Fault.OAuthError fault:
                return Error(fault.Error, "Injected by the sandbox.", fault.Code);
        }
        var body = await ReadParameters(request);
        if (body is null) return Error("Request body is not valid JSON or form data");
        string? Get(string key) => body.TryGetValue(key, out var v) ? v : null;

        if (!FixedEquals(Get("client_id"), options.ClientId) || !FixedEquals(Get("client_secret"), options.ClientSecret))
            return Error("Invalid client credentials");

        var grantType = Get("grant_type");
        TokenGrant? grant;
        if (grantType == "refresh_token")
        {
            var refresh = Get("refresh_token");
            if (string.IsNullOrEmpty(refresh)) return Error("Missing refresh_token");
            grant = tokens.Refresh(shop, refresh);
            if (grant is null) return Error("invalid_grant", "The refresh token is invalid, expired, or was already rotated");
        }
        else if (grantType == "urn:ietf:params:oauth:grant-type:token-exchange")
        {
            // An embedded app's session token for an offline token (docs/shopify-facts.md#session-tokens).
            if (Get("subject_token_type") != "urn:ietf:params:oauth:token-type:id_token")
                return Error("subject_token_type must be urn:ietf:params:oauth:token-type:id_token");
            if (Get("requested_token_type") != "urn:shopify:params:oauth:token-type:offline-access-token")
                return Error("Only offline access tokens are issued by this sandbox");
            var owner = ShopifySigning.VerifySessionToken(Get("subject_token") ?? "", options.ClientId, options.ClientSecret, options.Time.GetUtcNow());
            if (owner is null || !string.Equals(owner, shop, StringComparison.OrdinalIgnoreCase))
                return Error("The subject token is invalid, expired, or for another shop");
            grant = tokens.Issue(shop, Get("expiring") is "1" or "true", retires: null);
        }
        else if (grantType is null or "authorization_code")
        {
            var code = Get("code");
            if (string.IsNullOrEmpty(code)) return Error("Missing code");
            grant = tokens.Exchange(shop, code, Get("expiring") is "1" or "true");
            if (grant is null) return Error("invalid_grant", "The authorization code was not found or was already used");
        }
        else
        {
            return Error($"Unsupported grant_type '{grantType}'");
        }

        var json = new JsonObject { ["access_token"] = grant.AccessToken, ["scope"] = grant.Scope };
        if (grant.ExpiresIn is { } exp)
        {
            json["expires_in"] = exp;
            json["refresh_token"] = grant.RefreshToken;
            json["refresh_token_expires_in"] = grant.RefreshTokenExpiresIn;
        }
        return Results.Text(json.ToJsonString(), "application/json", Encoding.UTF8, 200);
    }

    private static IResult Error(string description) => Error("invalid_request", description);

    private static IResult Error(string error, string description, int status = 400) => Results.Text(
        new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(),
        "application/json", Encoding.UTF8, status);

    private static bool FixedEquals(string? a, string b) => a is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    /// <summary>Shopify's libraries send JSON; older clients send form data. Accept both.</summary>
    private static async Task<Dictionary<string, string>?> ReadParameters(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return form.ToDictionary(f => f.Key, f => f.Value.ToString());
        }
        try
        {
            var node = await JsonNode.ParseAsync(request.Body);
            if (node is not JsonObject obj) return null;
            return obj.Where(p => p.Value is not null)
                .ToDictionary(p => p.Key, p => p.Value!.GetValueKind() == JsonValueKind.String
                    ? p.Value.GetValue<string>() : p.Value.ToJsonString());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
