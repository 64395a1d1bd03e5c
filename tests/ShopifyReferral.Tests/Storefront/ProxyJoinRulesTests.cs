using System.Net;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>The storefront Join follows the same program rules as the thank-you block: a paused program and "paying customers only".</summary>
public class ProxyJoinRulesTests
{
    private const string Shop = "alpha.myshopify.com";
    private ManualTime _time = null!;
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _time = new ManualTime(DateTimeOffset.UtcNow);
        _app = new TestApp(StorefrontSeed.Settings(), _time);
        _http = _app.CreateClient(new() { AllowAutoRedirect = false });
        await StorefrontSeed.InstallAsync(_app, Shop);
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private Task Program(ProgramSettings settings) => _app.Service<ProgramStore>().SaveAsync(Shop, settings);

    private async Task<string> Page(long customer) =>
        await (await _http.GetAsync("/proxy" + ProxyQuery.Signed(Shop, customer, _time.GetUtcNow()))).Content.ReadAsStringAsync();

    private Task<HttpResponseMessage> Join(long customer) => _http.PostAsync("/proxy/join" + ProxyQuery.Signed(Shop, customer, _time.GetUtcNow()), null);

    private long Referrers() => _app.Count("SELECT COUNT(*) FROM referrers");

    private void PaidOrder(long customer, string status)
    {
        using var db = _app.OpenDb();
        db.Execute("""
            INSERT INTO orders (shop, order_id, customer_id, financial_status, order_updated_at, last_topic, recorded_at)
            VALUES (@Shop, @id, @customer, @status, 1, 'orders/paid', 1)
            """, new { Shop, id = customer * 10, customer, status });
    }

    [Test]
    public async Task ProgramOff_ThePageOffersNoJoin_AndJoinIsRefusedWithoutEnrolling()
    {
        await Program(new ProgramSettings { Enabled = false });
        Assert.That(await Page(555), Does.Not.Contain("<form").And.Contain("not taking new referrers"));
        var response = await Join(555);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("program-paused"));
        Assert.That(Referrers(), Is.Zero);
    }

    [Test]
    public async Task PayingCustomersOnly_WithoutAPaidOrder_AsksForAnOrderFirst()
    {
        await Program(new ProgramSettings { PayingCustomersOnly = true });
        PaidOrder(555, "pending");
        Assert.That(await Page(555), Does.Not.Contain("<form").And.Contain("after your first paid order"));
        var response = await Join(555);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("paid-order-required"));
        Assert.That(Referrers(), Is.Zero);
    }

    [Test]
    public async Task PayingCustomersOnly_WithAPaidOrder_Joins()
    {
        await Program(new ProgramSettings { PayingCustomersOnly = true });
        PaidOrder(555, "paid");
        Assert.That(await Page(555), Does.Contain("<form"));
        Assert.That((await Join(555)).StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(Referrers(), Is.EqualTo(1));
    }

    [Test]
    public async Task AutoEnrolment_StopsWhileTheProgramIsOff()
    {
        await using var h = await ShopifyReferral.Tests.Engine.EngineHarness.StartAsync(new ProgramSettings { AutoEnrolPayingCustomers = true, Enabled = false });
        await h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(h.App.Count("SELECT COUNT(*) FROM referrers"), Is.Zero);
    }
}
