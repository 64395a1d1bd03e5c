using System.Net;
using System.Text.Json;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The headline KPIs (`kpis` in GET /api/analytics) on a small shop worked out by hand. Range 2026-11-01..2026-11-07.
///
/// Counted orders in the range: C1 Nov 3 50 (C1 first ordered Oct 10: not new) · C2 Nov 2 80 (referred, pending) ·
/// C3 Nov 3 40 (referred, rewarded) · C4 Nov 5 30 · C5 Nov 6 60 (referral rejected: not referred) · C6 Nov 4 50 (referred).
/// Referrers: Jane (customer 900, no orders), C2 enrolled Nov 4, C6 enrolled Nov 20 (after the range).
///
///   new customers = C2..C6 = 5; referred new = C2, C3, C6 = 3 → share 3 / 5 = 60.00 %
///   friends who became referrers = C2 (C6 enrolled after the end) = 1 → 1 / 3 = 33.33 %
///   AOV referred = (80 + 40 + 50) / 3 = 56.666… → 56.67; store AOV = 310 / 6 = 51.666… → 51.67
///   referral AOV vs store = (170 / 3) / (310 / 6) × 100 = 340 / 310 × 100 = 109.677… → 109.68
/// </summary>
public class ProgramKpiTests
{
    private const string Shop = "kpis.myshopify.com";
    private TestApp _app = null!;
    private JsonElement _k;

    [OneTimeSetUp]
    public async Task SeedAndFetch()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, DateTimeOffset.UtcNow);
        using (var db = _app.OpenDb())
        {
            var s = new Seed(db, Shop);
            var jane = s.Referrer(900, "Jane", null, "jane@example.com", "JANE-9000", Noon(9, 1));
            s.Referrer(102, "Cleo", null, "cleo@example.com", "CLEO-1020", Noon(11, 4));
            s.Referrer(106, "Finn", null, "finn@example.com", "FINN-1060", Noon(11, 20));
            s.Order(101, Noon(10, 10), "100.00");
            s.Order(101, Noon(11, 3), "50.00");
            s.Referral(s.Order(102, Noon(11, 2), "80.00"), jane, "pending", Noon(11, 2));
            s.Referral(s.Order(103, Noon(11, 3), "40.00"), jane, "rewarded", Noon(11, 3));
            s.Order(104, Noon(11, 5), "30.00");
            s.Referral(s.Order(105, Noon(11, 6), "60.00"), jane, "rejected", Noon(11, 6));
            s.Referral(s.Order(106, Noon(11, 4), "50.00"), jane, "approved", Noon(11, 4));
        }
        var response = await http.SendAsync(Sessions.Get("/api/analytics?from=2026-11-01&to=2026-11-07&interval=week", Sessions.Token(Shop)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        _k = JsonDocument.Parse(body).RootElement.GetProperty("kpis").Clone();
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    private decimal D(string name) => _k.GetProperty(name).GetDecimal();

    [Test]
    public void ShareOfNewCustomersWhoCameByReferral() =>
        Assert.That((D("newCustomers"), D("newCustomersReferred"), D("newCustomersReferredShare")), Is.EqualTo((5m, 3m, 60.00m)));

    [Test]
    public void FriendsWhoBecameReferrers() =>
        Assert.That((D("friendsWhoBecameReferrers"), D("friendsWhoBecameReferrersShare")), Is.EqualTo((1m, 33.33m)));

    [Test]
    public void ReferralAovVersusStoreAov() =>
        Assert.That((D("aovReferred"), D("aovStore"), D("aovReferredVsStore")), Is.EqualTo((56.67m, 51.67m, 109.68m)));
}
