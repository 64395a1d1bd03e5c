using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopifyReferral.Storefront;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>
/// A stand-in for the shop's storefront in front of the app, over real HTTP: like Shopify's app proxy it forwards
/// /apps/referral/{rest} to {app}/proxy/{rest} with shop, logged_in_customer_id, path_prefix and timestamp added and
/// signed, and passes the answer back unchanged (redirects included). The browser only ever talks to this "shop".
/// </summary>
public sealed class ShopifyAppProxy : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly HttpClient _toApp;

    private ShopifyAppProxy(WebApplication web, HttpClient toApp)
    {
        _web = web;
        _toApp = toApp;
    }

    /// <summary>The shopper logged in to the storefront; null = anonymous.</summary>
    public long? LoggedInCustomerId { get; set; }

    public Uri BaseAddress => new(_web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<ShopifyAppProxy> StartAsync(Uri app, string shop, string secret = TestApp.Secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var web = builder.Build();
        var proxy = new ShopifyAppProxy(web, new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app });
        web.Map(ProxyQuery.Prefix + "/{**rest}", (HttpContext http, string? rest) => proxy.ForwardAsync(http, rest, shop, secret));
        await web.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext http, string? rest, string shop, string secret)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var query = (http.Request.QueryString.Value is { Length: > 1 } q ? q + "&" : "?") +
            $"shop={shop}&logged_in_customer_id={LoggedInCustomerId}&path_prefix={Uri.EscapeDataString(ProxyQuery.Prefix)}&timestamp={now}";
        var target = "/proxy" + (string.IsNullOrEmpty(rest) ? "" : "/" + rest) + query + "&signature=" + AppProxySignature.Sign(query, secret);

        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        if (http.Request.ContentLength > 0 || http.Request.Headers.ContentType.Count > 0)
        {
            var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            if (http.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        using var response = await _toApp.SendAsync(request);
        http.Response.StatusCode = (int)response.StatusCode;
        if (response.Headers.Location is { } location) http.Response.Headers.Location = location.OriginalString;
        if (response.Content.Headers.ContentType is { } ct) http.Response.ContentType = ct.ToString();
        await response.Content.CopyToAsync(http.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        _toApp.Dispose();
        await _web.StopAsync();
        await _web.DisposeAsync();
    }
}
