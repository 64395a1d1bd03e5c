using System.Net;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Every 400 of the merchant API is a validation problem with the stable type and the field it is about: values the
/// handlers check, and also those ASP.NET refuses before a handler runs (a query value of the wrong type, malformed JSON,
/// a JSON value of the wrong type).
/// </summary>
public class BadRequestTests
{
    private const string Shop = "bad.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private long _referral, _referrer;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, new ManualTime(Now));
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, Now);
        using var db = _app.OpenDb();
        var s = new Seed(db, Shop);
        _referrer = s.Referrer(1, "Jane", null, "jane@example.com", "JANE-1111", Noon(11, 1));
        _referral = s.Referral(s.Order(2, Noon(11, 10), "10.00"), _referrer, "review", Noon(11, 10));
    }

    [OneTimeTearDown]
    public void Stop() => _app?.Dispose();

    // Query values: bound by ASP.NET (int, bool) or checked by the handler (dates, enums, ranges).
    [TestCase("/api/rewards/unused?days=abc", "days")]
    [TestCase("/api/rewards/unused", "days")]
    [TestCase("/api/rewards/unused?days=-1", "days")]
    [TestCase("/api/rewards?limit=ten", "limit")]
    [TestCase("/api/rewards?status=lost-ish", "status")]
    [TestCase("/api/referrers?blocked=maybe", "blocked")]
    [TestCase("/api/referrals?from=notadate", "from")]
    [TestCase("/api/referrals?to=2026-13-01", "to")]
    [TestCase("/api/analytics?interval=month", "interval")]
    [TestCase("/api/analytics?from=2020-01-01&to=2026-11-01", "to")]
    [TestCase("/api/webhooks/failed?limit=1.5", "limit")]
    public async Task BadQueryValue_ValidationProblemNamingTheField(string path, string field) =>
        _ = await AssertValidation(HttpMethod.Get, path, null, field);

    [TestCase("reject", "{\"reason\": ", "body")]
    [TestCase("reject", "{\"reason\": 5}", "reason")]
    [TestCase("reject", "{}", "reason")]
    [TestCase("approve", "not json", "body")]
    [TestCase("approve", "{\"reason\": [\"a\"]}", "reason")]
    public async Task BadReviewBody_ValidationProblemNamingTheField(string action, string body, string field) =>
        _ = await AssertValidation(HttpMethod.Post, $"/api/referrals/{_referral}/{action}", body, field);

    [TestCase("{\"customerId\": \"abc\"}", "customerId")]
    [TestCase("{\"customerId\": 5, \"email\": {}}", "email")]
    [TestCase("{\"customerId\": 5", "body")]
    [TestCase("{}", "customerId")]
    public async Task BadEnrolBody_ValidationProblemNamingTheField(string body, string field) =>
        _ = await AssertValidation(HttpMethod.Post, "/api/referrers", body, field);

    [TestCase("{}", "reason")]
    [TestCase("{\"reason\": true}", "reason")]
    public async Task BadBlockBody_ValidationProblemNamingTheField(string body, string field) =>
        _ = await AssertValidation(HttpMethod.Post, $"/api/referrers/{_referrer}/block", body, field);

    [TestCase("[", "body")]
    [TestCase("{\"holdDays\": \"seven\"}", "holdDays")]
    public async Task BadProgramBody_ValidationProblemNamingTheField(string body, string field) =>
        _ = await AssertValidation(HttpMethod.Put, "/api/program", body, field);

    // A field the API does not know is refused by name, never dropped: a typo ("holdDay") would otherwise save defaults.
    [TestCase("PUT", "/api/program", "{\"holdDay\": 7}", "holdDay")]
    [TestCase("PUT", "/api/program", "{\"reward\": {\"type\": \"fixed_amount\", \"value\": 5, \"valu\": 6}}", "reward.valu")]
    [TestCase("PUT", "/api/program", "{\"settings\": {\"holdDays\": 3}, \"colour\": \"red\"}", "colour")]
    [TestCase("PUT", "/api/program", "{\"settings\": {\"holdDayz\": 3}}", "settings.holdDayz")]
    [TestCase("POST", "/api/referrers", "{\"customerId\": 5, \"nickname\": \"jj\"}", "nickname")]
    [TestCase("POST", "/api/referrers/{referrer}/block", "{\"reason\": \"spam\", \"until\": 1}", "until")]
    [TestCase("POST", "/api/referrals/{referral}/reject", "{\"reason\": \"no\", \"notify\": true}", "notify")]
    [TestCase("POST", "/api/event-endpoints", "{\"url\": \"https://hooks.example.com/x\", \"types\": [\"referral.approved\"], \"secret\": \"mine\"}", "secret")]
    public async Task UnknownField_ValidationProblemNamingIt(string method, string path, string body, string field)
    {
        path = path.Replace("{referrer}", _referrer.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{referral}", _referral.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var problem = await AssertValidation(new HttpMethod(method), path, body, field);
        Assert.That(problem.GetProperty("errors").GetProperty(field)[0].GetString(), Does.StartWith($"Unknown field '{field.Split('.')[^1]}'."));
    }

    private async Task<System.Text.Json.JsonElement> AssertValidation(HttpMethod method, string path, string? body, string field)
    {
        var (status, problem) = await ApiCall.SendAsync(_http, method, path, Shop, Now, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), problem.ToString());
        Assert.That(problem.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object), "a problem document, not an empty 400");
        Assert.That(problem.GetProperty("type").GetString(), Is.EqualTo("https://shopifyreferral.dev/problems/validation"), problem.ToString());
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Does.Contain(field), problem.ToString());
        Assert.That(problem.GetProperty("errors").GetProperty(field)[0].GetString(), Is.Not.Empty);
        return problem;
    }
}
