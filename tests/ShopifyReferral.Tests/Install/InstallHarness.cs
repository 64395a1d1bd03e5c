using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Install;

/// <summary>The real app on a real port and a sandbox store, on one hand-moved clock, wired for installs.</summary>
public sealed class InstallHarness : IAsyncDisposable
{
    private InstallHarness(ManualTime time, SandboxStore store, TestApp app, Uri appUrl)
    {
        Time = time;
        Store = store;
        App = app;
        AppUrl = appUrl;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = appUrl };
    }

    public ManualTime Time { get; }
    public SandboxStore Store { get; }
    public TestApp App { get; }
    public Uri AppUrl { get; }
    public HttpClient Http { get; }

    public static async Task<InstallHarness> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var time = new ManualTime();
        var store = await SandboxStore.StartAsync(new SandboxOptions { Time = time });
        var all = new Dictionary<string, string?>
        {
            ["Shopify:ClientId"] = store.Options.ClientId, ["Shopify:ClientSecret"] = store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate, ["Shopify:RetryBaseDelay"] = "00:00:00.010",
            ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false",
        };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var app = new TestApp(all, time, kestrel: true, services: services);
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        // The port is known only now; redirect_uri and the webhook address must name it.
        app.Services.GetRequiredService<IOptions<ShopifyOptions>>().Value.AppUrl = address;
        return new InstallHarness(time, store, app, new Uri(address));
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        App.Dispose();
        await Store.DisposeAsync();
    }
}
