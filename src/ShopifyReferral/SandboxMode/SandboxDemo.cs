using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.SandboxMode;

/// <summary>
/// The app's main job, end to end, on the sandbox: install the demo shop (OAuth code for a token), place an
/// order that uses a discount code, and report what the app received and did with it.
/// </summary>
public sealed class SandboxDemo(
    SandboxHost sandbox, IServer server, IHostApplicationLifetime lifetime, IConfiguration config, IServiceProvider services,
    ILogger<SandboxDemo> log) : BackgroundService
{
    public const string DemoShop = "demo-shop.myshopify.com";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.GetValue("Sandbox:Demo", true)) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Sandbox demo failed");
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var store = sandbox.Store;
        var installer = services.GetRequiredService<ShopInstaller>();
        var token = await installer.InstallAsync(DemoShop, store.CreateAuthorizationCode(DemoShop), ct);
        log.LogInformation("Demo: installed {Shop}; token expires at {ExpiresAt}", DemoShop, token.ExpiresAt);

        var target = new Uri(AppAddress() + "/webhooks");
        var order = new SandboxOrder { CustomerId = 207119551, Email = "friend@example.com", DiscountCode = "SAMREF-7Q2K", Subtotal = 90m };
        var deliveries = await store.PlaceOrderAsync(DemoShop, order, target, ct);
        foreach (var d in deliveries)
            log.LogInformation("Demo: Shopify sent {Topic} to {Target}: HTTP {Status} in {Ms:F0} ms", d.Topic, d.Target, d.StatusCode, d.Elapsed.TotalMilliseconds);

        var inbox = services.GetRequiredService<InboxStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyDictionary<string, int> counts;
        do
        {
            await Task.Delay(200, ct);
            counts = await inbox.CountByStatusAsync(ct);
        } while ((counts.GetValueOrDefault("pending") + counts.GetValueOrDefault("processing")) > 0 && DateTime.UtcNow < deadline);
        log.LogInformation("Demo: inbox now {Counts}", string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")));
    }

    private string AppAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? config["Shopify:AppUrl"] ?? "http://127.0.0.1:5000";
        return address.Replace("//[::]", "//127.0.0.1").Replace("//0.0.0.0", "//127.0.0.1").TrimEnd('/');
    }
}
