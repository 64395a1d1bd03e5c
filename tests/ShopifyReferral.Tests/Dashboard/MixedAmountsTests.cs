using System.Net;
using System.Text;
using System.Text.Json;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Webhooks;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Money whose amounts mix whole and fractional values (80.00 and 43.20, 10.00 and 7.50) reads the same in every
/// query: a storage engine that types 80.00 as an integer and 43.20 as a real must not break a reader (it once
/// made the analytics call answer 500 as soon as a shop had both).
/// </summary>
public class MixedAmountsTests
{
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void Start()
    {
        _app = new TestApp(new() { ["Referrals:Background"] = "false" });
        _http = _app.CreateClient();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<JsonElement> GetJson(string shop, string path)
    {
        var response = await _http.SendAsync(Sessions.Get(path, Sessions.Token(shop)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Test]
    public async Task Analytics_RealWebhooksWithWholeAndCents_AnswersWithExactSums()
    {
        // The reproduction: the two sample orders through the real, signed webhook path into a fresh database.
        await _app.Service<ShopStore>().MarkInstalledAsync(Payloads.Shop, DateTimeOffset.UtcNow);
        foreach (var file in new[] { "orders/paid/with-code.json", "orders/paid/other-code.json" })
        {
            var response = await _http.SendAsync(Webhook.Request(Payloads.Topic(file), Payloads.Bytes(file), "mixed-" + file, Payloads.Shop));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), file);
        }
        // Counted: the order row commits before its analytics facts and rollups (their own transaction outside a batch).
        await Eventually.True(() => _app.Count("SELECT COUNT(*) FROM orders WHERE counted = 1") == 2, TimeSpan.FromSeconds(10), "both orders recorded");

        // with-code: Nov 21 (80.00 after discounts); other-code: Nov 28 (43.20). By day, so each sits in its own bucket.
        var r = await GetJson(Payloads.Shop, "/api/analytics?from=2026-11-21&to=2026-11-28&interval=day");
        var series = r.GetProperty("series");
        Assert.Multiple(() =>
        {
            Assert.That(r.GetProperty("totals").GetProperty("revenue").GetDecimal(), Is.EqualTo(123.20m));
            Assert.That(series[0].GetProperty("revenue").GetDecimal(), Is.EqualTo(80m));
            Assert.That(series[7].GetProperty("revenue").GetDecimal(), Is.EqualTo(43.20m));
        });
        // Once more in the same process: a reader cached from the first call must still fit.
        var again = await GetJson(Payloads.Shop, "/api/analytics?from=2026-11-28&to=2026-11-28&interval=day");
        Assert.That(again.GetProperty("totals").GetProperty("revenue").GetDecimal(), Is.EqualTo(43.20m));
    }

    [Test]
    public async Task RewardCostRewardsAndExports_WholeAndFractionalValues_ReadExactly()
    {
        const string shop = "cents.myshopify.com";
        await _app.Service<ShopStore>().MarkInstalledAsync(shop, DateTimeOffset.UtcNow);
        using (var db = _app.OpenDb())
        {
            var s = new Seed(db, shop);
            var jane = s.Referrer(1, "Jane", null, "jane@example.com", "JANE-1", Noon(11, 1));
            var a = s.Referral(s.Order(11, Noon(11, 2), "80.00"), jane, "rewarded", Noon(11, 2), subtotal: "80.00");
            var b = s.Referral(s.Order(12, Noon(11, 3), "43.20"), jane, "rewarded", Noon(11, 3), subtotal: "43.20");
            s.Reward(jane, a, $"{a}:referral", "fixed_amount", "10.00", "issued", Noon(11, 2), code: "THANKS-A");
            s.Reward(jane, b, $"{b}:referral", "store_credit", "7.50", "issued", Noon(11, 3));
        }

        var r = await GetJson(shop, "/api/analytics?from=2026-11-01&to=2026-11-07&interval=day");
        Assert.That(r.GetProperty("totals").GetProperty("rewardCost").GetDecimal(), Is.EqualTo(17.50m));
        Assert.That(r.GetProperty("series")[1].GetProperty("rewardCost").GetDecimal(), Is.EqualTo(10m));

        var rewards = await GetJson(shop, "/api/rewards");
        var values = rewards.EnumerateArray().Select(w => decimal.Parse(w.GetProperty("value").ToString(), System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.That(values, Is.EqualTo(new[] { 7.50m, 10m }));

        var referralsCsv = await CsvAsync(shop, "/api/export/referrals.csv");
        Assert.That(referralsCsv, Does.Contain(",80.00,").And.Contain(",43.20,"));
        var rewardsCsv = await CsvAsync(shop, "/api/export/rewards.csv");
        Assert.That(rewardsCsv, Does.Contain(",10.00,").And.Contain(",7.50,"));
    }

    private async Task<string> CsvAsync(string shop, string path)
    {
        var response = await _http.SendAsync(Sessions.Get(path, Sessions.Token(shop)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }
}
