using System.Net;
using System.Text.Json;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Every KPI on a small seeded shop whose expected values are worked out by hand below. The range is
/// 2026-11-01..2026-11-14 by week: P = 14 days, buckets W1 = Nov 1-7 and W2 = Nov 8-14.
///
/// Counted orders in the range (revenue = discounted subtotal when known, else subtotal):
///   W1: C1 Nov 3 50 (not referred) · C4 Nov 2 90 (subtotal 100, 90 after refund; referred, pending) · C6 Nov 5 70 (referral rejected: not referred)
///   W2: guest Nov 8 25 · C5 Nov 9 30 · C3 Nov 10 40 (no code) · C8 Nov 11 50 (referred, in review) · C5 Nov 12 20
/// Not counted: C7 Nov 4 999 (test), C1 Nov 6 500 (cancelled), C4 Nov 20 10 (after the range), another shop's order.
/// Before the range: C1 Oct 10 100, C2 Oct 20 80, C3 Oct 25 60 (referred, rewarded).
/// Referrers: R1 Jane (Sep 1), R2 Bob (Nov 2), R3 Carla (Nov 9).
/// Clicks: W1 R1 instagram 3, R2 whatsapp 1; W2 R1 instagram 2, R3 email 2; outside: Oct 31 and Nov 15 00:00.
/// Rewards: 10 fixed issued Nov 3; 5 store credit issued Nov 9 (redeemed); 15 % issued Nov 10 (no fixed cost);
///          20 fixed issued Nov 4 but clawed back (no cost); 10 fixed issued Oct 28 (outside).
/// </summary>
public class AnalyticsTests
{
    private const string Shop = "kpi.myshopify.com";
    private TestApp _app = null!;
    private JsonElement _r;

    [OneTimeSetUp]
    public async Task SeedAndFetch()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" });
        var http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, DateTimeOffset.UtcNow);
        using (var db = _app.OpenDb())
        {
            var s = new Seed(db, Shop);
            var jane = s.Referrer(201, "Jane", "Doe", "jane@example.com", "JANE-1111", Noon(9, 1));
            var bob = s.Referrer(202, "Bob", null, "bob@example.com", "BOB-2222", Noon(11, 2));
            var carla = s.Referrer(203, "Carla", null, "carla@example.com", "CARLA-3333", Noon(11, 9));
            s.Order(101, Noon(10, 10), "100.00");
            s.Order(102, Noon(10, 20), "80.00");
            s.Referral(s.Order(103, Noon(10, 25), "60.00"), jane, "rewarded", Noon(10, 25));
            s.Order(101, Noon(11, 3), "50.00");
            s.Referral(s.Order(104, Noon(11, 2), "100.00", discounted: "90.00"), bob, "pending", Noon(11, 2));
            s.Referral(s.Order(106, Noon(11, 5), "70.00"), jane, "rejected", Noon(11, 5));
            s.Order(null, Noon(11, 8), "25.00", email: "guest@example.com");
            s.Order(105, Noon(11, 9), "30.00");
            s.Order(103, Noon(11, 10), "40.00");
            s.Referral(s.Order(108, Noon(11, 11), "50.00"), jane, "review", Noon(11, 11));
            s.Order(105, Noon(11, 12), "20.00");
            s.Order(107, Noon(11, 4), "999.00", test: true);
            s.Order(101, Noon(11, 6), "500.00", cancelled: true);
            s.Order(104, Noon(11, 20), "10.00");
            s.Clicks(jane, "instagram", Noon(11, 1), 3);
            s.Clicks(bob, "whatsapp", Noon(11, 6), 1);
            s.Clicks(jane, "instagram", Noon(11, 8), 2);
            s.Clicks(carla, "email", Noon(11, 14), 2);
            s.Clicks(jane, "instagram", Noon(10, 31), 1);
            s.Clicks(jane, "instagram", Noon(11, 15) - 12 * 3600_000, 1); // Nov 15 00:00: the first instant after the range
            s.Reward(jane, null, "a", "fixed_amount", "10.00", "issued", Noon(11, 3));
            s.Reward(jane, null, "b", "store_credit", "5.00", "redeemed", Noon(11, 9));
            s.Reward(jane, null, "c", "percentage", "15", "issued", Noon(11, 10));
            s.Reward(jane, null, "d", "fixed_amount", "20.00", "clawed_back", Noon(11, 4));
            s.Reward(jane, null, "e", "fixed_amount", "10.00", "issued", Noon(10, 28));
            var other = new Seed(db, "other.myshopify.com");
            other.Order(101, Noon(11, 3), "7777.00");
        }
        var response = await http.SendAsync(Sessions.Get("/api/analytics?from=2026-11-01&to=2026-11-14&interval=week", Sessions.Token(Shop)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        _r = JsonDocument.Parse(body).RootElement.Clone();
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    private static decimal D(JsonElement e, string name) => e.GetProperty(name).GetDecimal();
    private JsonElement Totals => _r.GetProperty("totals");
    private JsonElement Week(int i) => _r.GetProperty("series")[i];

    [Test]
    public void Orders_CountedAndReferred()
    {
        // 8 counted orders: 3 in W1 + 5 in W2; referred: C4 and C8 (C6's referral was rejected).
        Assert.That((D(Totals, "orders"), D(Totals, "referredOrders")), Is.EqualTo((8m, 2m)));
        Assert.That(_r.GetProperty("series").GetArrayLength(), Is.EqualTo(2));
        Assert.That((D(Week(0), "orders"), D(Week(1), "orders")), Is.EqualTo((3m, 5m)));
    }

    [Test]
    public void ParticipationRate_EnrolledOverCustomersWhoOrdered()
    {
        // Range: 2 enrolled (Bob, Carla) / 6 customers who ordered (C1, C3, C4, C5, C6, C8; the guest has no customer) = 33.33 %.
        Assert.That(D(Totals, "participationRate"), Is.EqualTo(33.33m));
        // W1: Bob / (C1, C4, C6) = 1/3; W2: Carla / (C5, C3, C8) = 1/3.
        Assert.That((D(Week(0), "participationRate"), D(Week(1), "participationRate")), Is.EqualTo((33.33m, 33.33m)));
    }

    [Test]
    public void ShareRateByChannel_ClicksOverReferrers()
    {
        // Range: instagram 3+2 = 5, whatsapp 1, email 2 over 3 referrers at the end: 166.67 %, 33.33 %, 66.67 %.
        var share = Totals.GetProperty("shareRateByChannel");
        Assert.That((D(share, "instagram"), D(share, "whatsapp"), D(share, "email")), Is.EqualTo((166.67m, 33.33m, 66.67m)));
        Assert.That(D(Totals, "clicks"), Is.EqualTo(8m));
        // W1: 2 referrers by Nov 7 (Jane, Bob): instagram 3/2 = 150 %, whatsapp 1/2 = 50 %, email 0.
        var w1 = Week(0).GetProperty("shareRateByChannel");
        Assert.That((D(w1, "instagram"), D(w1, "whatsapp"), D(w1, "email")), Is.EqualTo((150m, 50m, 0m)));
    }

    [Test]
    public void ConversionRate_ReferredOrdersOverClicks()
    {
        // Range 2/8 = 25 %; W1 1/4 = 25 %; W2 1/4 = 25 %.
        Assert.That((D(Totals, "conversionRate"), D(Week(0), "conversionRate"), D(Week(1), "conversionRate")), Is.EqualTo((25m, 25m, 25m)));
    }

    [Test]
    public void Revenue_ReferredAndAovs()
    {
        // Revenue 50+90+70+25+30+40+50+20 = 375; referred 90+50 = 140; AOV referred 140/2 = 70; not referred 235/6 = 39.17.
        Assert.That((D(Totals, "revenue"), D(Totals, "referredRevenue")), Is.EqualTo((375m, 140m)));
        Assert.That((D(Totals, "aovReferred"), D(Totals, "aovNotReferred")), Is.EqualTo((70m, 39.17m)));
        // W1: referred 90 / 1; not referred (50+70)/2 = 60. W2: 50 / 1; (25+30+40+20)/4 = 28.75.
        Assert.That((D(Week(0), "aovReferred"), D(Week(0), "aovNotReferred")), Is.EqualTo((90m, 60m)));
        Assert.That((D(Week(1), "aovReferred"), D(Week(1), "aovNotReferred")), Is.EqualTo((50m, 28.75m)));
    }

    [Test]
    public void RewardCost_AndRevenuePerUnitOfCost()
    {
        // 10 (fixed) + 5 (store credit) + 0 (percentage) = 15 over 3 rewards; 140 / 15 = 9.33.
        Assert.That((D(Totals, "rewardCost"), D(Totals, "rewardsIssued"), D(Totals, "revenuePerRewardCost")), Is.EqualTo((15m, 3m, 9.33m)));
        // W1: 10, 90/10 = 9. W2: 5, 50/5 = 10.
        Assert.That((D(Week(0), "rewardCost"), D(Week(0), "revenuePerRewardCost")), Is.EqualTo((10m, 9m)));
        Assert.That((D(Week(1), "rewardCost"), D(Week(1), "revenuePerRewardCost")), Is.EqualTo((5m, 10m)));
    }

    [Test]
    public void RetentionRate_ReferredVsNot()
    {
        // Referred (first order referred): C3 (start), C4, C8 (new). Ordered in range: all 3. (3 - 2) / 1 = 100 %.
        var referred = _r.GetProperty("referred");
        Assert.That((D(referred, "customersAtStart"), D(referred, "newCustomers"), D(referred, "customersWhoOrdered")), Is.EqualTo((1m, 2m, 3m)));
        Assert.That(D(referred, "retentionRate"), Is.EqualTo(100m));
        // Not referred: C1, C2 (start), C5, C6 (new). Ordered in range: C1, C5, C6. (3 - 2) / 2 = 50 %.
        var not = _r.GetProperty("notReferred");
        Assert.That((D(not, "customersAtStart"), D(not, "newCustomers"), D(not, "customersWhoOrdered")), Is.EqualTo((2m, 2m, 3m)));
        Assert.That(D(not, "retentionRate"), Is.EqualTo(50m));
    }

    [Test]
    public void Clv_AovTimesOrdersPerCustomerTimesLifespan()
    {
        // Referred: AOV (40+90+50)/3 = 60; orders per customer 3/3 = 1; lifespan in periods of 14 days, (last - first)/14 + 1:
        // C3 Oct 25 → Nov 10 = 16 d → 8/7 + 1; C4 1; C8 1 → (3 + 8/7)/3 = 29/21 = 1.381. CLV = 60 × 1 × 29/21 = 82.857 → 82.86.
        var referred = _r.GetProperty("referred");
        Assert.That((D(referred, "aov"), D(referred, "ordersPerCustomer"), D(referred, "lifespanPeriods")), Is.EqualTo((60m, 1m, 1.38m)));
        Assert.That(D(referred, "clv"), Is.EqualTo(82.86m));
        // Not referred: AOV (50+30+70+20)/4 = 42.50; orders per customer 4/3; lifespan: C1 Oct 10 → Nov 3 = 24 d → 12/7 + 1 = 19/7;
        // C2 1; C5 Nov 9 → 12 = 3 d → 17/14; C6 1 → (38/14 + 17/14 + 28/14)/4 = 83/56 = 1.482. CLV = 42.5 × 4/3 × 83/56 = 83.988 → 83.99.
        var not = _r.GetProperty("notReferred");
        Assert.That((D(not, "aov"), D(not, "ordersPerCustomer"), D(not, "lifespanPeriods")), Is.EqualTo((42.5m, 1.33m, 1.48m)));
        Assert.That(D(not, "clv"), Is.EqualTo(83.99m));
    }

    [Test]
    public void TopReferrers_ByReferredRevenueInRange()
    {
        // Bob: C4's 90; Jane: C8's 50 (C6's referral was rejected; C3's was before the range).
        var top = _r.GetProperty("topReferrers").EnumerateArray().Select(t => (t.GetProperty("code").GetString(), D(t, "orders"), D(t, "revenue"))).ToList();
        Assert.That(top, Is.EqualTo(new[] { ("BOB-2222", 1m, 90m), ("JANE-1111", 1m, 50m) }));
    }
}
