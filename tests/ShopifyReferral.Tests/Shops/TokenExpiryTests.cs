using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Rewards;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Install;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Shops;

/// <summary>Expiring tokens under background work: refreshed in time, or, when Shopify refuses, work parked and resumed.</summary>
public class TokenExpiryTests
{
    private const string Shop = "expiry.myshopify.com";
    private InstallHarness _h = null!;

    /// <summary>Background work that needs the Admin API: one customer lookup per delivery.</summary>
    private sealed class ShopifyWork(IShopifyAdmin admin) : IWebhookHandler
    {
        public IReadOnlyCollection<string> Topics { get; } = ["customers/update"];

        public Task HandleAsync(WebhookMessage message, CancellationToken ct) =>
            admin.GetCustomerOrderCountAsync(message.Shop, "gid://shopify/Customer/1", ct);
    }

    [SetUp]
    public async Task Start()
    {
        _h = await InstallHarness.StartAsync(services: s => s.AddSingleton<IWebhookHandler, ShopifyWork>());
        var installed = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);
        Assert.That(installed.CallbackStatus, Is.EqualTo(302));
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task DeliverWorkAsync()
    {
        var response = await _h.Http.SendAsync(Webhook.Request("customers/update", Encoding.UTF8.GetBytes("""{"id":1}"""), shop: Shop, secret: _h.Store.Options.ClientSecret));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    private (string Status, long Attempts, string? Error) Row()
    {
        using var db = _h.App.OpenDb();
        var r = db.QuerySingle("SELECT status, attempts, last_error FROM webhook_inbox WHERE topic = 'customers/update'");
        return ((string)r.status, (long)r.attempts, (string?)r.last_error);
    }

    [Test]
    public async Task TokenExpiringDuringWork_IsRefreshedAndWorkCompletes()
    {
        await DeliverWorkAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(58)); // the hour-long token is inside its last five minutes

        await _h.Get<WebhookProcessor>().RunOnceAsync(default);

        Assert.That(Row().Status, Is.EqualTo("done"));
        Assert.That(_h.Store.RefreshCount(Shop), Is.EqualTo(1));
        Assert.That((await _h.Get<ShopTokens>().FindAsync(Shop, default))!.ExpiresAt, Is.EqualTo(_h.Time.GetUtcNow().AddHours(1)));
    }

    [Test]
    public async Task RefusedRefresh_ParksWorkWithoutSpendingAttempts_ReinstallResumesIt()
    {
        var referrer = SeedOwedReward();
        await DeliverWorkAsync();
        _h.Store.RevokeTokens(Shop); // the refresh token no longer works
        _h.Time.Advance(TimeSpan.FromMinutes(58));

        for (var i = 0; i < 3; i++)
        {
            await _h.Get<WebhookProcessor>().RunOnceAsync(default);
            await _h.Get<RewardIssuer>().RunOnceAsync(default);
            _h.Time.Advance(TimeSpan.FromDays(1)); // long past every retry and park delay
        }

        Assert.That((await _h.Get<ShopStore>().FindAsync(Shop))?.Status, Is.EqualTo(ShopStore.NeedsReauth));
        var parked = Row();
        Assert.That((parked.Status, parked.Attempts), Is.EqualTo(("pending", 0L)), parked.Error);
        Assert.That(parked.Error, Does.StartWith(ShopStore.ParkedPrefix));
        using (var db = _h.App.OpenDb())
            Assert.That(db.QuerySingle<(string, long)>("SELECT status, attempts FROM rewards"), Is.EqualTo(("owed", 0L)), "the reward waits too");

        var again = await _h.Store.InstallAppAsync(Shop, _h.AppUrl);
        Assert.That(again.CallbackStatus, Is.EqualTo(302));
        await _h.Get<WebhookProcessor>().RunOnceAsync(default);
        await _h.Get<RewardIssuer>().RunOnceAsync(default);

        Assert.That(Row().Status, Is.EqualTo("done"));
        using (var db = _h.App.OpenDb())
            Assert.That(db.ExecuteScalar<string>("SELECT status FROM rewards"), Is.EqualTo("issued"));
        Assert.That(_h.Store.Discounts(Shop).SelectMany(d => d.CustomerGids), Does.Contain($"gid://shopify/Customer/{referrer}"));
    }

    [Test]
    public async Task TwoInstances_NearExpiry_RefreshOnceBetweenThem()
    {
        // A second instance on the same database and key ring.
        using var second = new TestApp(new()
        {
            ["Shopify:ClientId"] = _h.Store.Options.ClientId, ["Shopify:ClientSecret"] = _h.Store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = _h.Store.AdminBaseUrlTemplate, ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false",
        }, _h.Time, database: _h.App.Database);
        _h.Time.Advance(TimeSpan.FromMinutes(56));

        var a = _h.Get<ShopTokens>();
        var b = second.Service<ShopTokens>();
        var got = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).GetAccessTokenAsync(Shop, default).AsTask()));

        Assert.That(got.Distinct().Count(), Is.EqualTo(1));
        Assert.That(_h.Store.RefreshCount(Shop), Is.EqualTo(1));
    }

    private long SeedOwedReward()
    {
        const long customer = 115310627;
        _h.Store.AddCustomer(Shop, "jane.doe@example.com", id: customer);
        using var db = _h.App.OpenDb();
        var now = _h.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var referrerId = db.ExecuteScalar<long>("""
            INSERT INTO referrers (shop, customer_id, email, first_name, code, code_status, program_version, enrolled_at)
            VALUES (@Shop, @customer, 'jane.doe@example.com', 'Jane', 'JANE-TEST', 'live', 1, @now) RETURNING id
            """, new { Shop, customer, now });
        db.Execute("""
            INSERT INTO rewards (shop, idempotency_key, referrer_id, kind, reward_type, amount_minor, currency, code, status, expires_at, due_at, created_at)
            VALUES (@Shop, 'seed:milestone:1', @referrerId, 'milestone', 'fixed_amount', 1000, 'USD', 'THANKS-SEED', 'owed', @later, @far, @now)
            """, new { Shop, referrerId, now, later = now + 86_400_000L * 90, far = now + 3_600_000L * 2 });
        return customer;
    }
}
