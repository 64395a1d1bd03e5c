using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ShopifyReferral.Sandbox.OAuth;

/// <summary>
/// <c>GET /{shop}/admin/oauth/authorize</c>: where the app sends the merchant to grant scopes (docs/shopify-facts.md#install-and-callback-signature).
/// Shopify shows a consent screen; the sandbox's merchant always agrees, so it answers at once with a redirect to
/// redirect_uri carrying code, hmac, host, shop, state and timestamp, signed with the client secret.
/// </summary>
internal static class AuthorizeApi
{
    public static void MapAuthorize(this IEndpointRouteBuilder app, TokenBook tokens, SandboxOptions options) =>
        app.MapGet("/{shop}/admin/oauth/authorize", (string shop, HttpRequest request) => Authorize(shop, request, tokens, options));

    private static IResult Authorize(string shop, HttpRequest request, TokenBook tokens, SandboxOptions options)
    {
        var q = request.Query;
        if (!FixedEquals(q["client_id"].ToString(), options.ClientId))
            return Results.Text("Oauth error invalid_request: The client_id is invalid.", "text/plain", Encoding.UTF8, 400);
        if (!Uri.TryCreate(q["redirect_uri"].ToString(), UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https"))
            return Results.Text("Oauth error invalid_request: The redirect_uri is missing or not a URL.", "text/plain", Encoding.UTF8, 400);
        var state = q["state"].ToString();
        var query = new Dictionary<string, string>
        {
            // The sandbox's merchant grants exactly what the app asked for.
            ["code"] = tokens.CreateCode(shop, q["scope"].ToString()),
            ["host"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{shop}/admin")).TrimEnd('='),
            ["shop"] = shop,
            ["timestamp"] = options.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        };
        if (state.Length > 0) query["state"] = state;
        var separator = redirect.Query.Length > 0 ? "&" : "?";
        return Results.Redirect(redirect + separator + ShopifySigning.SignQuery(query, options.ClientSecret));
    }

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
