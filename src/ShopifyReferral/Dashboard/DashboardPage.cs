using System.Net;
using System.Reflection;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Dashboard;

/// <summary>
/// GET /app?shop=… serves the dashboard page; its script calls /api with a session token. Inside the Shopify admin
/// (Shopify adds host= and embedded=1) the page loads App Bridge from Shopify's CDN, which supplies the tokens; outside
/// it no third-party script loads. When the dev host supplies a sandbox store (AppMode.IsSandbox) the page fetches its
/// token from the dev host's /app/dev-token, so it also works in a plain browser; tests set window.shopifyReferralToken.
/// </summary>
public static class DashboardPage
{
    private const string AppBridge = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/app", Page).ExcludeFromDescription();
        app.MapGet("/app/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/app/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8")).ExcludeFromDescription();
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
