using System.Globalization;
using System.Net;
using System.Text.Json;
using ShopifyReferral.Shops;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.DevHost;

/// <summary>
/// Sandbox mode only: the built UI extensions in a plain browser, so a developer can look at them without a Shopify
/// store. The page plays Shopify's runtime in the smallest way: a <c>shopify</c> global with the target's order and a
/// session token minted by the sandbox store for the order's customer, then the bundle's default export runs and
/// renders into the page. The s-* elements get a little CSS here; in Shopify they are the checkout's own components.
/// </summary>
public static class SandboxExtensionPages
{
    public static readonly string[] Bundles = ["referral-thank-you/dist/thank-you.js", "referral-account/dist/account.js"];

    public static IEndpointRouteBuilder MapSandboxExtensionPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandbox/thank-you", ThankYou).ExcludeFromDescription();
        app.MapGet("/sandbox/account", Account).ExcludeFromDescription();
        app.MapGet("/sandbox/extensions/{name}/dist/{file}", Bundle).ExcludeFromDescription();
        return app;
    }

    private static IResult ThankYou(HttpContext http, string? order, string? shop, string? target)
    {
        if (Sandbox(http) is not { } host) return TypedResults.NotFound();
        shop ??= SandboxDemo.DemoShop;
        if (!ShopDomain.IsValid(shop) || !long.TryParse(order, NumberStyles.None, CultureInfo.InvariantCulture, out var orderId))
            return TypedResults.BadRequest("Open /sandbox/thank-you?order={order id}[&shop={handle}.myshopify.com].");
        var placed = host.Store.Orders(shop).FirstOrDefault(o => o.Id == orderId);
        if (placed is null) return TypedResults.NotFound($"The sandbox store has no order {orderId} in {shop}.");
        var customer = placed.CustomerId is { } c ? $"gid://shopify/Customer/{c}" : null;
        // Each target's API as Shopify gives it: the thank-you page has orderConfirmation, the order-status page order.
        var api = target == "order-status"
            ? new Dictionary<string, object?>
            {
                ["extension"] = new { target = "customer-account.order-status.block.render" },
                ["order"] = new { value = new { id = placed.Gid, name = placed.Name } },
            }
            : new Dictionary<string, object?>
            {
                ["extension"] = new { target = "purchase.thank-you.block.render" },
                ["orderConfirmation"] = new { value = new { order = new { id = placed.Gid }, number = placed.Name, isFirstOrder = true } },
            };
        return Page($"Thank you for your order {placed.Name}", Bundles[0], api, host.Store.IssueExtensionToken(shop, customer));
    }

    private static IResult Account(HttpContext http, string? customer, string? shop)
    {
        if (Sandbox(http) is not { } host) return TypedResults.NotFound();
        shop ??= SandboxDemo.DemoShop;
        if (!ShopDomain.IsValid(shop) || !long.TryParse(customer, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return TypedResults.BadRequest("Open /sandbox/account?customer={customer id}[&shop={handle}.myshopify.com].");
        var api = new Dictionary<string, object?> { ["extension"] = new { target = "customer-account.page.render" } };
        return Page("Your referrals", Bundles[1], api, host.Store.IssueExtensionToken(shop, $"gid://shopify/Customer/{id}"));
    }

    private static IResult Bundle(HttpContext http, IWebHostEnvironment env, string name, string file)
    {
        if (Sandbox(http) is null) return TypedResults.NotFound();
        var relative = $"{name}/dist/{file}";
        if (!Bundles.Contains(relative)) return TypedResults.NotFound();
        var path = Path.Combine(env.ContentRootPath, "extensions", name, "dist", file);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "text/javascript; charset=utf-8")
            : TypedResults.NotFound($"{relative} is not built: run `npm ci && npm run build` at the repository root.");
    }

    /// <summary>The sandbox store, in sandbox mode and for a browser on this machine only: the pages mint signed tokens.</summary>
    private static SandboxHost? Sandbox(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip) ? http.RequestServices.GetService<SandboxHost>() : null;

    private const string Css = """
        s-stack, s-section, s-page { display:flex; flex-direction:column; gap:.6rem; }
        s-stack[direction=inline] { flex-direction:row; flex-wrap:wrap; align-items:center; }
        s-heading { display:block; font-weight:700; font-size:1.15rem; }
        s-text, s-paragraph { display:block; }
        s-text[type=strong] { font-weight:700; font-size:1.3rem; letter-spacing:.05em; font-family:ui-monospace,monospace; }
        s-text[color=subdued] { color:#52606d; font-size:.9rem; }
        s-button, s-link { display:inline-block; border:1px solid #c9ced6; border-radius:999px; padding:.4rem .9rem; cursor:pointer; color:#1f2933; }
        s-banner { display:block; border-left:4px solid #0b6e4f; padding:.5rem .8rem; background:#eef7f3; }
        s-badge { display:inline-block; padding:.05rem .5rem; border-radius:999px; background:#f0f2f5; font-size:.85rem; }
        s-divider { display:block; border-top:1px solid #e4e7eb; }
        s-section[heading]::before, s-page[heading]::before { content:attr(heading); display:block; font-weight:700; font-size:1.3rem; }
        s-clipboard-item { display:none; }
        """;

    // A press on an s-link or s-button with an href follows it, and a --copy command copies its clipboard item's
    // text, as the checkout's components do.
    private const string Runtime = """
        document.addEventListener('click', function (e) {
          var el = e.target.closest && e.target.closest('s-link[href], s-button[href], s-button[command="--copy"]');
          if (!el) return;
          if (el.hasAttribute('href')) { window.open(el.getAttribute('href'), '_blank', 'noopener'); return; }
          var item = document.getElementById(el.getAttribute('commandfor'));
          if (item && navigator.clipboard) navigator.clipboard.writeText(item.getAttribute('text')).then(function () { el.textContent = 'Copied!'; });
        });
        """;

    private static IResult Page(string title, string bundle, Dictionary<string, object?> api, string token)
    {
        var json = JsonSerializer.Serialize(api).Replace("</", "<\\/", StringComparison.Ordinal);
        var body = new Html().Add($"""
            <div class="card"><h1>{title}</h1><p class="muted">Sandbox preview: the extension below is the built bundle, calling this app as it would from Shopify.</p></div>
            <div class="card" id="extension"></div>
            <style>{Html.Raw(Css)}</style>
            <script>{Html.Raw(Runtime)}</script>
            <script type="module">
            const api = {Html.Raw(json)};
            const token = {Html.Raw(JsonSerializer.Serialize(token))};
            api.sessionToken = {Html.Raw("{ get: async () => token }")};
            globalThis.shopify = api;
            globalThis.shopifyReferralAppUrl = location.origin;
            globalThis.shopifyReferralRoot = document.getElementById('extension');
            const run = (await import('/sandbox/extensions/{Html.Raw(bundle)}')).default;
            await run();
            document.body.dataset.ready = 'true';
            </script>
            """);
        return TypedResults.Content(PageLayout.Document(title, body.ToSafe()), PageLayout.ContentType);
    }
}
