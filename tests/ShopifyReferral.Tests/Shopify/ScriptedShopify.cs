using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>A real Kestrel server on 127.0.0.1:0 that answers each request with the next scripted response.</summary>
internal sealed class ScriptedShopify : IAsyncDisposable
{
    public const string Shop = "referral-test.myshopify.com";
    public const string Token = "shpat_test_token";

    public sealed record Received(string Path, string? AccessToken, JsonNode Body);

    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly WebApplication _app;
    private ServiceProvider? _services;

    public ConcurrentQueue<Received> Requests { get; } = new();
    public string BaseUrl { get; private set; } = "";

    private ScriptedShopify()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(async context =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
            Requests.Enqueue(new(context.Request.Path, context.Request.Headers["X-Shopify-Access-Token"], body));
            if (_script.TryDequeue(out var respond)) await respond(context);
            else { context.Response.StatusCode = 418; await context.Response.WriteAsync("script exhausted"); }
        });
    }

    public static async Task<ScriptedShopify> StartAsync()
    {
        var server = new ScriptedShopify();
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>()
            .Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return server;
    }

    public ScriptedShopify Then(Func<HttpContext, Task> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    public ScriptedShopify ThenJson(string json, int status = 200, string requestId = "req-1", params (string Name, string Value)[] headers) =>
        Then(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers["X-Request-Id"] = requestId;
            foreach (var (name, value) in headers) context.Response.Headers[name] = value;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });

    /// <summary>A client wired exactly as the app wires it, with delays shrunk so tests run fast.</summary>
    public IShopifyAdmin CreateClient(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Shopify:AdminBaseUrl"] = BaseUrl + "/{shop}",
            ["Shopify:RequestTimeout"] = "00:00:00.500",
            ["Shopify:MaxRetryAttempts"] = "3",
            ["Shopify:RetryBaseDelay"] = "00:00:00.010",
            ["Shopify:MinThrottleDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IShopTokens>(new FixedToken(Token))
            .AddShopifyAdmin(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        _services = services.BuildServiceProvider();
        return _services.GetRequiredService<IShopifyAdmin>();
    }

    public T Get<T>() where T : notnull => _services!.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class FixedToken(string token) : IShopTokens
    {
        public ValueTask<string> GetAccessTokenAsync(string shop, CancellationToken ct) => ValueTask.FromResult(token);
    }

    // Canned bodies in Shopify's shapes (shopify.dev/docs/api/usage/limits for extensions.cost).
    public static string Cost(int requested, int available, int restoreRate = 100) =>
        $$$"""{"cost":{"requestedQueryCost":{{{requested}}},"actualQueryCost":{{{requested}}},"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":{{{available}}},"restoreRate":{{{restoreRate}}}""" + "}}}";

    public static string Created(string gid = "gid://shopify/DiscountCodeNode/1") =>
        $$$"""{"data":{"discountCodeBasicCreate":{"codeDiscountNode":{"id":"{{{gid}}}","codeDiscount":{"__typename":"DiscountCodeBasic","title":"t","status":"ACTIVE","startsAt":"2026-11-22T00:00:00Z","endsAt":null,"asyncUsageCount":0}},"userErrors":[]}},"extensions":{{{Cost(10, 1990)}}}}""";

    public static string Throttled(int requested, int available) =>
        $$$"""{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED","documentation":"https://shopify.dev/api/usage/rate-limits"}}],"extensions":{{{Cost(requested, available)}}}}""";
}
