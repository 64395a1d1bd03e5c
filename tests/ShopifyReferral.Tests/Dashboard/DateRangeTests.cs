using System.Net;
using System.Text.Json;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// One rule for every from/to on the merchant API: UTC days, both included. Each ranged endpoint (referrals, analytics,
/// both CSV exports) is asked the same ranges and must count the same rows, the edges of a day included.
/// </summary>
public class DateRangeTests
{
    private const string Shop = "range.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset November = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private readonly List<DateTimeOffset> _times = [];

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, new ManualTime(Now));
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, Now);
        // A referral (with its order and reward) at the first and last millisecond of every day of November, and one
        // at a random time of day: a rule that drops either edge of a day, or adds the next day's first moment, shows.
        var random = new Random(20261122);
        _times.Clear(); // NUnit keeps one instance of the fixture for all its tests
        for (var d = 0; d < 30; d++)
        {
            var day = November.AddDays(d);
            _times.AddRange([day, day.AddMilliseconds(random.Next(1, 86_399_999)), day.AddDays(1).AddMilliseconds(-1)]);
        }
        using var db = _app.OpenDb();
        using var tx = db.BeginTransaction();
        var s = new Seed(db, Shop);
        var jane = s.Referrer(1, "Jane", null, "jane@example.com", "JANE-1111", November.ToUnixTimeMilliseconds());
        var n = 0;
        foreach (var t in _times)
        {
            var at = t.ToUnixTimeMilliseconds();
            var referral = s.Referral(s.Order(1000 + n, at, "10.00"), jane, "pending", at);
            s.Reward(jane, referral, $"k{n++}", "fixed_amount", "5.00", "owed", null, createdAt: at);
        }
        tx.Commit();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private Task<(HttpStatusCode Status, JsonElement Body)> Get(string path) => ApiCall.SendAsync(_http, HttpMethod.Get, path, Shop, Now);

    /// <summary>How many rows each ranged endpoint returns for the query.</summary>
    private async Task<(int Referrals, long AnalyticsOrders, int ReferralsCsv, int RewardsCsv)> Counts(string query)
    {
        var (s1, referrals) = await Get($"/api/referrals?{query}&limit=500");
        var (s2, analytics) = await Get($"/api/analytics?{query}");
        Assert.That((s1, s2), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)), query);
        return (referrals.GetArrayLength(), analytics.GetProperty("totals").GetProperty("orders").GetInt64(),
            await CsvRows($"/api/export/referrals.csv?{query}"), await CsvRows($"/api/export/rewards.csv?{query}"));
    }

    private async Task<int> CsvRows(string path)
    {
        var response = await _http.SendAsync(Sessions.Get(path, Sessions.Token(Shop, Now)));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        var text = await response.Content.ReadAsStringAsync();
        return text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1; // no field in these rows holds a line break
    }

    [Test]
    public async Task FromEqualsToToday_EveryRangedEndpoint_ReturnsThatWholeDay()
    {
        var counts = await Counts("from=2026-11-22&to=2026-11-22");
        Assert.That(counts, Is.EqualTo((3, 3L, 3, 3)), "00:00:00.000, a moment in the day and 23:59:59.999 of Nov 22");
    }

    [Test]
    public async Task AnyRange_EveryEndpoint_CountsExactlyTheDaysFromToIncluded()
    {
        // Property: for random from ≤ to within November, each endpoint returns the rows whose UTC day is in [from, to].
        var random = new Random(7);
        for (var i = 0; i < 25; i++)
        {
            var from = random.Next(0, 30);
            var to = random.Next(from, 30);
            var query = $"from={November.AddDays(from):yyyy-MM-dd}&to={November.AddDays(to):yyyy-MM-dd}";
            var expected = _times.Count(t => t >= November.AddDays(from) && t < November.AddDays(to + 1));
            Assert.That(await Counts(query), Is.EqualTo((expected, (long)expected, expected, expected)), query);
        }
    }

    [Test]
    public async Task FullTimestamp_IsReadAsItsUtcDay()
    {
        // 2026-11-21T20:00:00-05:00 is Nov 22 01:00 UTC; 2026-11-22T03:00:00Z is Nov 22. Both mean the day Nov 22.
        var counts = await Counts("from=2026-11-21T20:00:00-05:00&to=2026-11-22T03:00:00Z");
        Assert.That(counts, Is.EqualTo((3, 3L, 3, 3)));
    }

    [TestCase("/api/referrals")]
    [TestCase("/api/analytics")]
    [TestCase("/api/export/referrals.csv")]
    [TestCase("/api/export/rewards.csv")]
    public async Task FromAfterTo_ValidationProblemNamingTo(string path)
    {
        var (status, problem) = await Get($"{path}?from=2026-11-10&to=2026-11-09");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("https://shopifyreferral.dev/problems/validation"));
        Assert.That(problem.GetProperty("errors").TryGetProperty("to", out _), problem.ToString());
    }

    [TestCase("/api/referrals")]
    [TestCase("/api/analytics")]
    [TestCase("/api/export/referrals.csv")]
    [TestCase("/api/export/rewards.csv")]
    public async Task NotADate_ValidationProblemNamingFrom(string path)
    {
        var (status, problem) = await Get($"{path}?from=11/01/2026");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("https://shopifyreferral.dev/problems/validation"));
        Assert.That(problem.GetProperty("errors").GetProperty("from")[0].GetString(), Does.Contain("2026-11-01"), "says what a date looks like");
    }
}
