using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Install;

/// <summary>
/// The two ways a shop gets a token (docs/shopify-facts.md#install-and-callback-signature, docs/shopify-facts.md#session-tokens):
/// <list type="bullet">
/// <item>authorization code grant: <c>GET /auth/install</c> (signed by Shopify) redirects to the shop's authorize page with
/// a one-time state; <c>GET /auth/callback</c> checks hmac, timestamp, shop and state, then installs;</item>
/// <item>token exchange: <c>POST /auth/token-exchange</c> with an embedded app's session token as Bearer, for an app that
/// Shopify installed itself (managed installation) or a shop that needs re-authorisation.</item>
/// </list>
/// Forged or stale requests get 401 and change nothing; a malformed shop gets 400 before it goes into any URL.
/// </summary>
public static class InstallApi
{
    private const string Problems = "https://shopifyreferral.dev/problems/";

    public static IEndpointRouteBuilder MapInstall(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/auth").WithTags("Install");
        auth.MapGet("/install", InstallAsync);
        auth.MapGet("/callback", CallbackAsync);
        auth.MapPost("/token-exchange", TokenExchangeAsync);
        return routes;
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> InstallAsync(
        HttpRequest request, IOptions<ShopifyOptions> options, OAuthStates states, Referrals.ProgramStore programs, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        if (Refuse(request, o, time) is { } refused) return refused;
        var shop = request.Query["shop"].ToString();
        var state = await states.IssueAsync(shop, ct);
        var redirect = o.AppUrl.TrimEnd('/') + "/auth/callback";
        // A scope only some rewards need (gift cards are granted on request) is asked for once the shop's program uses it.
        var program = await programs.FindAsync(shop, version: null, ct);
        var scopes = string.Join(',', o.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(program is null ? [] : Referrals.RewardTypes.ExtraScopes(program.Settings)).Distinct());
        return TypedResults.Redirect($"{o.AdminUrl(shop)}/admin/oauth/authorize?client_id={Uri.EscapeDataString(o.ClientId)}" +
            $"&scope={Uri.EscapeDataString(scopes)}&redirect_uri={Uri.EscapeDataString(redirect)}&state={state}");
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> CallbackAsync(
        HttpRequest request, IOptions<ShopifyOptions> options, OAuthStates states, ShopInstaller installer, TimeProvider time,
        ILogger<ShopInstaller> log, CancellationToken ct)
    {
        if (Refuse(request, options.Value, time) is { } refused) return refused;
        var shop = request.Query["shop"].ToString();
        var code = request.Query["code"].ToString();
        if (string.IsNullOrEmpty(code)) return Problem(400, "missing-code", "The callback has no code parameter.");
        // Only after the hmac held: a forged callback must not burn a merchant's real state.
        if (!await states.TakeAsync(shop, request.Query["state"].ToString(), ct))
            return Problem(401, "unauthorized", "The state is unknown, expired, already used, or was issued for another shop. Start the install again.");
        try
        {
            await installer.InstallAsync(shop, code, ct);
        }
        catch (ShopifyOAuthException ex) when (ex.Rejected)
        {
            return Problem(400, "code-refused", $"Shopify refused the authorization code: {ex.Message}");
        }
        catch (Exception ex) when (ex is ShopifyOAuthException or ShopifyException or HttpRequestException)
        {
            log.LogWarning(ex, "Install of {Shop} failed on Shopify's side", shop);
            return Problem(502, "shopify-unavailable", $"Shopify did not complete the install ({ex.Message}). Open the app again to retry.");
        }
        var host = request.Query["host"].ToString();
        return TypedResults.Redirect($"/app?shop={Uri.EscapeDataString(shop)}" + (host.Length > 0 ? $"&host={Uri.EscapeDataString(host)}" : ""));
    }

    private static async Task<Results<Ok<InstalledShop>, ProblemHttpResult>> TokenExchangeAsync(
        HttpRequest request, IOptions<ShopifyOptions> options, ShopInstaller installer, TimeProvider time, CancellationToken ct)
    {
        var o = options.Value;
        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Problem(401, "unauthorized", "A Shopify session token is required (Authorization: Bearer <token>).");
        var jwt = auth["Bearer ".Length..].Trim();
        var (session, why) = await SessionToken.VerifyAsync(jwt, o.ClientId, [o.ClientSecret, o.PreviousClientSecret], time);
        if (session is null) return Problem(401, "unauthorized", $"The session token was refused: {why}.");
        try
        {
            var token = await installer.InstallFromSessionTokenAsync(session.Shop, jwt, ct);
            return TypedResults.Ok(new InstalledShop(session.Shop, "installed", token.Scope, token.ExpiresAt));
        }
        catch (ShopifyOAuthException ex) when (ex.Rejected)
        {
            return Problem(401, "unauthorized", $"Shopify refused the token exchange: {ex.Message}");
        }
        catch (Exception ex) when (ex is ShopifyOAuthException or ShopifyException or HttpRequestException)
        {
            return Problem(502, "shopify-unavailable", $"Shopify did not complete the token exchange ({ex.Message}). Try again.");
        }
    }

    /// <summary>The checks both Shopify-signed requests share: one of each signed parameter, hmac, timestamp, shop.</summary>
    private static ProblemHttpResult? Refuse(HttpRequest request, ShopifyOptions o, TimeProvider time)
    {
        foreach (var key in new[] { "hmac", "shop", "timestamp", "state", "code" })
            if (request.Query[key].Count > 1) return Problem(401, "unauthorized", $"The {key} parameter is repeated.");
        var pairs = request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString()));
        if (OAuthSignature.Check(pairs, [o.ClientSecret, o.PreviousClientSecret], time.GetUtcNow()) is { } why)
            return Problem(401, "unauthorized", $"The request is not a fresh one signed by Shopify: {why}.");
        var shop = request.Query["shop"].ToString();
        if (!ShopDomain.IsValid(shop))
            return Problem(400, "invalid-shop", $"'{shop}' is not a shop domain of the form {{name}}.myshopify.com.");
        return null;
    }

    private static ProblemHttpResult Problem(int status, string type, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: Problems + type);
}

public sealed record InstalledShop(string Shop, string Status, string Scope, DateTimeOffset? TokenExpiresAt);
