using System.Net;
using Microsoft.Extensions.Options;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.DevHost;

/// <summary>
/// GET /app/dev-token?shop=…: a merchant session token signed with the sandbox's own secret, which the dashboard page
/// fetches when it runs against the sandbox (data-sandbox="true"), so it works in a plain browser outside the admin.
/// </summary>
public static class DevToken
{
    public static IEndpointRouteBuilder MapDevToken(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app/dev-token", Mint).ExcludeFromDescription();
        return app;
    }

    private static IResult Mint(HttpContext http, AppMode mode, IOptions<ShopifyOptions> options, TimeProvider time, string? shop)
    {
        // Only against the sandbox (a dev host given real credentials signs nothing), and only for a browser on this machine.
        if (!mode.IsSandbox || http.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip)) return TypedResults.NotFound();
        if (!ShopDomain.IsValid(shop)) return TypedResults.BadRequest();
        var now = time.GetUtcNow();
        var o = options.Value;
        return TypedResults.Text(SessionToken.Sign(new
        {
            iss = $"https://{shop}/admin", dest = $"https://{shop}", aud = o.ClientId, sub = "sandbox-merchant", sid = "sandbox",
            exp = now.AddMinutes(1).ToUnixTimeSeconds(), nbf = now.AddSeconds(-1).ToUnixTimeSeconds(), iat = now.ToUnixTimeSeconds(),
            jti = Guid.NewGuid().ToString(),
        }, o.ClientSecret));
    }
}
