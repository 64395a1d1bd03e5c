using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>A running sandbox and the app's real <see cref="IShopifyAdmin"/> pointed at it, wired as the app wires it.</summary>
internal sealed class AdminOverSandbox : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private AdminOverSandbox(SandboxStore store, ShiftedTime time, SandboxShopTokens tokens, ServiceProvider services)
    {
        Store = store;
        Time = time;
        Tokens = tokens;
        _services = services;
        Admin = services.GetRequiredService<IShopifyAdmin>();
    }

    public SandboxStore Store { get; }
    public ShiftedTime Time { get; }
    public SandboxShopTokens Tokens { get; }
    public IShopifyAdmin Admin { get; }

    /// <summary>A service of the app's Shopify client as wired, e.g. ShopifyGraphQL for calls outside IShopifyAdmin.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<AdminOverSandbox> StartAsync(params (string Key, string Value)[] overrides)
    {
        var time = new ShiftedTime();
        var store = await SandboxStore.StartAsync(new SandboxOptions { Time = time });
        var settings = new Dictionary<string, string?>
        {
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate,
            ["Shopify:ApiVersion"] = "2026-10",
            // Short delays keep retries fast; the timeout still leaves room for a loaded CI machine.
            ["Shopify:RequestTimeout"] = "00:00:02",
            ["Shopify:MaxRetryAttempts"] = "3",
            ["Shopify:RetryBaseDelay"] = "00:00:00.010",
            ["Shopify:MaxRetryDelay"] = "00:00:02",
            ["Shopify:MinThrottleDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        var tokens = new SandboxShopTokens(store);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IShopTokens>(tokens)
            .AddShopifyAdmin(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
        return new AdminOverSandbox(store, time, tokens, services);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Tokens.Dispose();
        await Store.DisposeAsync();
    }
}
