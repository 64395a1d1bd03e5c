using System.Net;
using System.Reflection;
using Microsoft.Extensions.Options;
using ShopifyReferral.Merchant;
using ShopifyReferral.SandboxMode;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Dashboard;

/// <summary>
/// GET /app?shop=… serves the dashboard page; its script calls /api with a session token. Inside the Shopify admin
/// (Shopify adds host= and embedded=1) the page loads App Bridge from Shopify's CDN, which supplies the tokens; outside
/// it no third-party script loads. In sandbox mode /app/dev-token mints a token for the sandbox's own secret, so the
/// page also works in a plain browser; tests set window.shopifyReferralToken instead.
/// </summary>
public static class DashboardPage
{
    private const string AppBridge = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app", Page).ExcludeFromDescription();
        app.MapGet("/app/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/api/openapi.json", () => Asset("openapi.json", "application/json")).ExcludeFromDescription();
        app.MapGet("/app/dev-token", DevToken).ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext http, IOptions<ShopifyOptions> options, AppMode mode, string? shop, string? host, string? embedded)
    {
        if (!ShopDomain.IsValid(shop))
            return TypedResults.Problem("Open the dashboard as /app?shop={handle}.myshopify.com.", statusCode: 400,
                type: "https://shopifyreferral.dev/problems/bad-request");
        var inAdmin = !string.IsNullOrEmpty(host) || embedded == "1";
        var bridge = inAdmin
            ? $"""<meta name="shopify-api-key" content="{WebUtility.HtmlEncode(options.Value.ClientId)}"><script src="{AppBridge}"></script>"""
            : "";
        var html = Read("dashboard.html").Replace("<!--APPBRIDGE-->", bridge)
            .Replace("<!--SHOP-->", WebUtility.HtmlEncode(shop)).Replace("<!--SANDBOX-->", mode.IsSandbox ? "true" : "false");
        // Embedded apps must allow framing by the shop's admin and no one else (shopify.dev: set up iframe protection).
        http.Response.Headers.ContentSecurityPolicy = $"frame-ancestors https://{shop} https://admin.shopify.com;";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static IResult DevToken(HttpContext http, AppMode mode, IOptions<ShopifyOptions> options, TimeProvider time, string? shop)
    {
        // Sandbox mode only (Development, the sandbox's own secret), and only for a browser on this machine.
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

    private static IResult Asset(string name, string type) => TypedResults.Content(Read(name), type);

    private static readonly Dictionary<string, string> Cache = [];

    private static string Read(string name)
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(name, out var text)) return text;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Dashboard." + name)
                ?? throw new InvalidOperationException($"Embedded resource Dashboard.{name} is missing.");
            using var reader = new StreamReader(stream);
            return Cache[name] = reader.ReadToEnd();
        }
    }
}
