using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ShopifyReferral.Sandbox;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.DevHost;

/// <summary>
/// The app's main job, end to end, on the sandbox: install the demo shop (OAuth code for a token), place an
/// order that uses a discount code, and report what the app received and did with it.
/// </summary>
public sealed class SandboxDemo(
    SandboxHost sandbox, IServer server, IHostApplicationLifetime lifetime, IConfiguration config, IServiceProvider services,
    ILogger<SandboxDemo> log) : IHostedService, IDisposable
{
    public const string DemoShop = "demo-shop.myshopify.com";
    private const long JaneId = 115310627;

    private readonly CancellationTokenSource _stopping = new();
    private Task _demo = Task.CompletedTask;

    // A script that runs once when the app has started, not a worker: the app's one worker host is Jobs.Workers.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (config.GetValue("Sandbox:Demo", true))
            lifetime.ApplicationStarted.Register(() => _demo = Task.Run(() => DemoAsync(_stopping.Token)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _demo.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task DemoAsync(CancellationToken stoppingToken)
    {
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
        // The app's address is known only once Kestrel has bound (port 0 in tests), and the OAuth redirect_uri and the
        // webhook subscriptions must name it: the sandbox's app URL follows the real address.
        var shopify = services.GetRequiredService<IOptions<ShopifyOptions>>().Value;
        shopify.AppUrl = AppAddress();
        // The merchant's browser walk, over real HTTP: /auth/install → the store's authorize page → /auth/callback.
        var installed = await store.InstallAppAsync(DemoShop, new Uri(AppAddress()), ct);
        if (installed.CallbackStatus != 302)
            throw new InvalidOperationException($"The demo install ended with HTTP {installed.CallbackStatus} at {installed.CallbackUrl}.");
        log.LogInformation("Demo: installed {Shop} through /auth/install and /auth/callback; the merchant lands on {Location}; {Count} webhook subscriptions",
            DemoShop, installed.Location, store.WebhookSubscriptions(DemoShop).Count);

        // The demo shows the whole spine at once, so its program has no hold period.
        var programs = services.GetRequiredService<ProgramStore>();
        var program = await programs.GetActiveAsync(DemoShop, ct);
        if (program.Settings.HoldDays != 0) await programs.SaveAsync(DemoShop, program.Settings with { HoldDays = 0 }, ct);
        await using (var conn = await services.GetRequiredService<Db>().OpenAsync(ct))
            // The sandbox starts empty each run while the database remembers: make the demo's codes live again.
            await conn.ExecuteAsync("UPDATE referrers SET code_status = 'pending' WHERE shop = @DemoShop", new { DemoShop });
        // A fresh database gets sixty days of history first, so the dashboard opens on a shop with a past.
        if (config.GetValue("Sandbox:History", true) && await IsNewAsync(ct))
            await new SandboxHistory(store, services, services.GetRequiredService<TimeProvider>(), log)
                .RunAsync(DemoShop, new Uri(AppAddress() + "/webhooks"), ct);
        // Jane is a customer of the store (her reward is limited to her, and thanking sets her metafields and tag).
        store.AddCustomer(DemoShop, "jane.doe@example.com", id: JaneId);
        var jane = await services.GetRequiredService<ReferrerService>().EnrolAsync(
            DemoShop, JaneId, "jane.doe@example.com", "Jane", "Doe", "SAMREF-7Q2K", ct);
        await services.GetRequiredService<ReferrerCodeSync>().RunOnceAsync(ct);
        log.LogInformation("Demo: referrer Jane Doe has code {Code}; share link {Link}", jane.Code, jane.ShareLink);

        // A new friend each run: a friend who ordered before is, rightly, not rewarded. Their address differs in the
        // mailbox itself ("friend+tag@" would be the same person: emails compare without +tags).
        var friendId = 200_000_000 + Random.Shared.Next(1_000_000);
        var order = new SandboxOrder { CustomerId = friendId, Email = $"friend.{friendId}@example.com", DiscountCode = jane.Code, Subtotal = 90m };
        var deliveries = await store.PlaceOrderAsync(DemoShop, order, new Uri(AppAddress() + "/webhooks"), ct);
        foreach (var d in deliveries)
            log.LogInformation("Demo: Shopify sent {Topic} to {Target}: HTTP {Status} in {Ms:F0} ms", d.Topic, d.Target, d.StatusCode, d.Elapsed.TotalMilliseconds);

        var orderId = store.Orders(DemoShop)[^1].Id;
        var db = services.GetRequiredService<Db>();
        // The workers judge the order, the hold (0 days here) ends, the reward issuer creates Jane's code in the store.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Referral? referral;
        do
        {
            await Task.Delay(250, ct);
            referral = await ReferralStore.FindByOrderAsync(db, DemoShop, orderId, ct);
        } while (referral?.Status is null or "pending" or "approved" && DateTime.UtcNow < deadline);
        log.LogInformation("Demo: referral for order {Order}: {Status} ({Reason})", orderId, referral?.Status ?? "none", referral?.StatusReason);
        log.LogInformation("Demo: the friend's thank-you page with the referral block: {Url}/sandbox/thank-you?order={Order} (build it first: npm ci && npm run build)",
            AppAddress(), orderId);
        var reward = store.Discounts(DemoShop).LastOrDefault(d => d.CustomerGids.Contains($"gid://shopify/Customer/{JaneId}"));
        if (referral?.Status == "rewarded" && reward is not null)
            log.LogInformation("Demo: reward issued to Jane Doe: code {Code}, {Amount} off, single use, ends {EndsAt:yyyy-MM-dd}",
                string.Join(",", reward.Codes), reward.Amount, reward.EndsAt);
        else
            log.LogWarning("Demo: no reward was issued (referral {Status}: {Reason})", referral?.Status ?? "none", referral?.StatusReason);
        log.LogInformation("Demo: open the merchant dashboard at {Url}/app?shop={Shop} (in sandbox mode it signs itself in)", AppAddress(), DemoShop);
    }

    private async Task<bool> IsNewAsync(CancellationToken ct)
    {
        await using var conn = await services.GetRequiredService<Db>().OpenAsync(ct);
        return await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM orders WHERE shop = @DemoShop", new { DemoShop }) == 0;
    }

    private string AppAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? config["Shopify:AppUrl"] ?? "http://127.0.0.1:5000";
        return address.Replace("//[::]", "//127.0.0.1").Replace("//0.0.0.0", "//127.0.0.1").TrimEnd('/');
    }
}
