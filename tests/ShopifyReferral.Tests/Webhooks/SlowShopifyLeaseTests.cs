using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// Two workers, on real time, against a sandbox store that answers every Admin call slowly: a batch takes longer than
/// one lease. The lease is renewed while the batch is worked, so no row is handled twice and none is given up on.
/// </summary>
public class SlowShopifyLeaseTests
{
    private const string Shop = "slow.myshopify.com";

    /// <summary>One Admin call per delivery, counted per inbox row.</summary>
    private sealed class ShopifyWork(IShopifyAdmin admin) : IWebhookHandler
    {
        public static readonly ConcurrentDictionary<long, int> Calls = new();

        public IReadOnlyCollection<string> Topics { get; } = ["customers/update"];

        public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
        {
            Calls.AddOrUpdate(message.InboxId, 1, (_, n) => n + 1);
            await admin.GetCustomerOrderCountAsync(message.Shop, "gid://shopify/Customer/1", ct);
        }
    }

    [Test]
    public async Task BatchOutlastsTheLease_EachRowHandledOnce_NoneGivenUp()
    {
        ShopifyWork.Calls.Clear();
        await using var store = await SandboxStore.StartAsync(new SandboxOptions());
        using var app = new TestApp(new()
        {
            ["Shopify:ClientId"] = store.Options.ClientId, ["Shopify:ClientSecret"] = store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate, ["Referrals:Background"] = "false",
            // The workers are the two loops below; a batch of 8 slow calls (~4 s) outlasts a 3 s lease.
            ["Webhooks:Workers"] = "0", ["Webhooks:ClaimBatchSize"] = "8", ["Webhooks:LeaseDuration"] = "00:00:03",
            // A second claim of a row counts as a second attempt: with one allowed, it would be given up on.
            ["Webhooks:MaxAttempts"] = "1",
        }, services: s => s.AddSingleton<IWebhookHandler, ShopifyWork>());
        await app.Service<ShopInstaller>().InstallAsync(Shop, store.CreateAuthorizationCode(Shop), default);
        var http = app.CreateClient();
        for (var i = 0; i < 16; i++)
        {
            var body = Encoding.UTF8.GetBytes($$"""{"id":{{i}}}""");
            var response = await http.SendAsync(Webhook.Request("customers/update", body, shop: Shop, secret: store.Options.ClientSecret));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        store.Faults(Shop).DelayNext(1000, TimeSpan.FromMilliseconds(500));

        var processor = app.Service<WebhookProcessor>();
        async Task Worker() { while (await processor.RunOnceAsync(default) > 0) { } }
        await Task.WhenAll(Task.Run(Worker), Task.Run(Worker));
        store.Faults(Shop).Clear();

        using var db = app.OpenDb();
        var rows = db.Query<(long Id, string Status, string? Error)>("SELECT id, status, last_error FROM webhook_inbox").ToList();
        Assert.That(rows.Where(r => r.Status != "done"), Is.Empty, "every row done, none given up");
        Assert.That(ShopifyWork.Calls.Keys.Order(), Is.EqualTo(rows.Select(r => r.Id).Order()));
        Assert.That(ShopifyWork.Calls.Where(c => c.Value > 1).Select(c => c.Key), Is.Empty, "no row handled by two workers");
    }
}
