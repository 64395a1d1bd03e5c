using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using static ShopifyReferral.Tests.Dashboard.Seed;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>The merchant API over a real app and SQLite file: filters, decisions, ProblemDetails, and one shop never sees another's rows.</summary>
public class DashboardApiTests
{
    private const string Shop = "alpha.myshopify.com";
    private const string Other = "beta.myshopify.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private TestApp _app = null!;
    private HttpClient _http = null!;
    private long _jane, _review, _otherReview, _failedOther;

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false" }, new ManualTime(Now));
        _http = _app.CreateClient();
        await _app.Service<ShopStore>().MarkInstalledAsync(Shop, Now);
        await _app.Service<ShopStore>().MarkInstalledAsync(Other, Now);
        using var db = _app.OpenDb();
        var s = new Seed(db, Shop);
        _jane = s.Referrer(201, "Jane", "Doe", "jane@example.com", "JANE-1111", Noon(11, 1));
        s.Referrer(202, "Zoë", "Ångström", "zoe@example.com", "ZOE-2222", Noon(11, 2));
        _review = s.Referral(s.Order(301, Noon(11, 10), "80.00"), _jane, "review", Noon(11, 10), "friend@example.com", "80.00", "Held for review.", Noon(11, 10));
        s.Check(_review, "velocity", "review", "3 friends from 203.0.113.9 today (limit 2).", Noon(11, 10));
        s.Check(_review, "self_referral", "pass", "Different email, address and phone.", Noon(11, 10));
        s.Referral(s.Order(302, Noon(11, 12), "50.00"), _jane, "pending", Noon(11, 12));
        s.Reward(_jane, null, "a", "fixed_amount", "10.00", "issued", Noon(11, 1), Noon(12, 30), "THANKS-A");
        s.Reward(_jane, null, "b", "fixed_amount", "10.00", "issued", Noon(11, 20), Noon(12, 30), "THANKS-B");
        s.Reward(_jane, null, "c", "fixed_amount", "10.00", "issued", Noon(10, 1), Noon(11, 1), "THANKS-C");
        s.Reward(_jane, null, "d", "fixed_amount", "10.00", "redeemed", Noon(10, 5), Noon(12, 30), "THANKS-D");
        var o = new Seed(db, Other);
        var bob = o.Referrer(401, "Bob", null, "bob@example.com", "BOB-4444", Noon(11, 1));
        _otherReview = o.Referral(o.Order(402, Noon(11, 10), "99.00"), bob, "review", Noon(11, 10));
        foreach (var (shop, hook) in new[] { (Shop, "w-1"), (Other, "w-2") })
            db.Execute("""
                INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, attempts, last_error, processed_at)
                VALUES (@shop, 'orders/paid', @hook, @body, 1, 'failed', 8, 'boom', 2)
                """, new { shop, hook, body = "{}"u8.ToArray() });
        _failedOther = db.ExecuteScalar<long>("SELECT id FROM webhook_inbox WHERE shop = @Other", new { Other });
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Call(HttpMethod method, string path, object? body = null, string shop = Shop)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Sessions.Token(shop, Now));
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Test]
    public async Task Referrers_Search_FindsByNameEmailOrCode()
    {
        var (_, byName) = await Call(HttpMethod.Get, "/api/referrers?q=jane");
        var (_, byCode) = await Call(HttpMethod.Get, "/api/referrers?q=zoe-22");
        var (_, all) = await Call(HttpMethod.Get, "/api/referrers");
        Assert.That(byName.EnumerateArray().Select(r => r.GetProperty("code").GetString()), Is.EqualTo(new[] { "JANE-1111" }));
        Assert.That(byCode.EnumerateArray().Select(r => r.GetProperty("lastName").GetString()), Is.EqualTo(new[] { "Ångström" }));
        Assert.That(all.GetArrayLength(), Is.EqualTo(2), "Bob belongs to another shop");
        Assert.That(all.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == _jane).GetProperty("referrals").GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public async Task Referrers_BlockThenUnblock_NeedsAReason()
    {
        Assert.That((await Call(HttpMethod.Post, $"/api/referrers/{_jane}/block", new { })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Call(HttpMethod.Post, $"/api/referrers/{_jane}/block", new { reason = "coupon site" })).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE id = @_jane AND blocked = 1 AND blocked_reason = 'coupon site'", new { _jane }), Is.EqualTo(1));
        var (_, blocked) = await Call(HttpMethod.Get, "/api/referrers?blocked=true");
        Assert.That(blocked.GetArrayLength(), Is.EqualTo(1));
        Assert.That((await Call(HttpMethod.Post, $"/api/referrers/{_jane}/unblock")).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE id = @_jane AND blocked = 0 AND blocked_reason IS NULL", new { _jane }), Is.EqualTo(1));
    }

    [Test]
    public async Task Referrers_Block_CodeDeactivatingUntilShopifyConfirms()
    {
        var (_, answer) = await Call(HttpMethod.Post, $"/api/referrers/{_jane}/block", new { reason = "coupon site" });
        Assert.That(answer.GetProperty("codeState").GetString(), Is.EqualTo("deactivating"), "no Shopify call inside the request");
        var (_, rows) = await Call(HttpMethod.Get, "/api/referrers?blocked=true");
        Assert.That(rows.EnumerateArray().Single().GetProperty("codeState").GetString(), Is.EqualTo("deactivating"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE id = @_jane AND code_due_at IS NOT NULL", new { _jane }), Is.EqualTo(1), "due for the sync");
    }

    [Test]
    public async Task OpenApi_ReferrerAndReferralSchemas_ListExactlyTheFieldsAnswered()
    {
        var (_, doc) = await Call(HttpMethod.Get, "/api/openapi.json");
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        IEnumerable<string> Documented(string name) => schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var (_, referrers) = await Call(HttpMethod.Get, "/api/referrers");
        var (_, referrals) = await Call(HttpMethod.Get, "/api/referrals");
        Assert.That(referrers[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Documented("ReferrerRow")));
        Assert.That(referrals[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Documented("ReferralRow")));
    }

    [Test]
    public async Task Referrers_BlockAnotherShopsReferrer_404AndUnchanged()
    {
        var bob = _app.Count("SELECT id FROM referrers WHERE shop = @Other", new { Other });
        var (status, body) = await Call(HttpMethod.Post, $"/api/referrers/{bob}/block", new { reason = "x" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("https://shopifyreferral.dev/problems/not-found"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE blocked = 1"), Is.EqualTo(0));
    }

    [Test]
    public async Task Referrals_FilterByStatusAndDate_WithChecks()
    {
        var (_, review) = await Call(HttpMethod.Get, "/api/referrals?status=review");
        var r = review.EnumerateArray().Single();
        Assert.That(r.GetProperty("id").GetInt64(), Is.EqualTo(_review));
        Assert.That(r.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("rule").GetString() + ":" + c.GetProperty("outcome").GetString()),
            Is.EqualTo(new[] { "self_referral:pass", "velocity:review" }));
        var (_, late) = await Call(HttpMethod.Get, "/api/referrals?from=2026-11-11");
        var (_, early) = await Call(HttpMethod.Get, "/api/referrals?from=2026-11-01&to=2026-11-11");
        Assert.That((late.GetArrayLength(), early.GetArrayLength()), Is.EqualTo((1, 1)));
        var (bad, problem) = await Call(HttpMethod.Get, "/api/referrals?status=maybe");
        Assert.That((bad, problem.GetProperty("type").GetString()), Is.EqualTo((HttpStatusCode.BadRequest, "https://shopifyreferral.dev/problems/validation")));
        Assert.That(problem.GetProperty("errors").TryGetProperty("status", out _), "the field is named, as the storefront's list did");
        Assert.That((await Call(HttpMethod.Get, "/api/referrals?from=yesterday")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Reject_WithReason_RecordsItAndLeavesTheQueue()
    {
        Assert.That((await Call(HttpMethod.Post, $"/api/referrals/{_review}/reject", new { reason = "" })).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        var (status, body) = await Call(HttpMethod.Post, $"/api/referrals/{_review}/reject", new { reason = "same household" });
        Assert.That((status, body.GetProperty("status").GetString()), Is.EqualTo((HttpStatusCode.OK, "rejected")));
        Assert.That(body.GetProperty("statusReason").GetString(), Does.Contain("same household"));
        var (again, _) = await Call(HttpMethod.Post, $"/api/referrals/{_review}/approve", new { reason = "oops" });
        Assert.That(again, Is.EqualTo(HttpStatusCode.Conflict), "a rejected referral is final");
    }

    [TestCase("approve")]
    [TestCase("reject")]
    public async Task ApproveOrReject_AnswersTheReferralAsTheListShowsIt(string action)
    {
        // The decision's answer used to carry "checks": [] while the list carried every check with its evidence.
        var (_, list) = await Call(HttpMethod.Get, "/api/referrals?status=review");
        var before = list.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == _review);
        var (status, decided) = await Call(HttpMethod.Post, $"/api/referrals/{_review}/{action}", new { reason = "looked at it" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(decided.EnumerateObject().Select(p => p.Name), Is.EqualTo(before.EnumerateObject().Select(p => p.Name)), "the same fields");
        Assert.That(decided.GetProperty("checks").ToString(), Is.EqualTo(before.GetProperty("checks").ToString()));
        Assert.That(decided.GetProperty("checks").GetArrayLength(), Is.EqualTo(2));
        var (_, after) = await Call(HttpMethod.Get, "/api/referrals");
        Assert.That(decided.ToString(), Is.EqualTo(after.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == _review).ToString()),
            "the answer is the row the list now shows");
    }

    [Test]
    public async Task Approve_AnotherShopsReferral_404AndStillInReview()
    {
        var (status, _) = await Call(HttpMethod.Post, $"/api/referrals/{_otherReview}/approve", new { reason = "x" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrals WHERE id = @_otherReview AND status = 'review'", new { _otherReview }), Is.EqualTo(1));
    }

    [Test]
    public async Task Rewards_ByStatus_ExpiredIsDerived()
    {
        async Task<string[]> Codes(string q) => (await Call(HttpMethod.Get, "/api/rewards" + q)).Body.EnumerateArray().Select(w => w.GetProperty("code").GetString()!).Order().ToArray();
        Assert.That(await Codes("?status=issued"), Is.EqualTo(new[] { "THANKS-A", "THANKS-B" }));
        Assert.That(await Codes("?status=expired"), Is.EqualTo(new[] { "THANKS-C" }), "issued, expired Nov 1");
        Assert.That(await Codes("?status=redeemed"), Is.EqualTo(new[] { "THANKS-D" }));
        Assert.That(await Codes(""), Has.Length.EqualTo(4));
        Assert.That((await Call(HttpMethod.Get, "/api/rewards?status=lost-ish")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task UnusedRewards_AfterNDays_OnlyIssuedUnexpiredOldEnough()
    {
        // Now is Nov 22. A: issued Nov 1 (21 days); B: Nov 20 (2 days); C expired; D redeemed.
        var (_, after7) = await Call(HttpMethod.Get, "/api/rewards/unused?days=7");
        var (_, after1) = await Call(HttpMethod.Get, "/api/rewards/unused?days=1");
        Assert.That(after7.EnumerateArray().Select(w => w.GetProperty("code").GetString()), Is.EqualTo(new[] { "THANKS-A" }));
        Assert.That(after1.EnumerateArray().Select(w => w.GetProperty("code").GetString()), Is.EqualTo(new[] { "THANKS-A", "THANKS-B" }));
        Assert.That(after7.EnumerateArray().Single().GetProperty("email").GetString(), Is.EqualTo("jane@example.com"));
        Assert.That((await Call(HttpMethod.Get, "/api/rewards/unused")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task FailedWebhooks_ListAndReplay_OnlyTheShopsOwn()
    {
        var (_, failed) = await Call(HttpMethod.Get, "/api/webhooks/failed");
        var mine = failed.EnumerateArray().Single();
        Assert.That(mine.GetProperty("webhookId").GetString(), Is.EqualTo("w-1"));
        Assert.That((await Call(HttpMethod.Post, $"/api/webhooks/{_failedOther}/replay")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Call(HttpMethod.Post, $"/api/webhooks/{mine.GetProperty("id").GetInt64()}/replay")).Status, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'pending' AND attempts = 0"), Is.EqualTo(1));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'failed' AND shop = @Other", new { Other }), Is.EqualTo(1));
    }

    [Test]
    public async Task ProgramSettings_SaveValidAndInvalid()
    {
        var (_, current) = await Call(HttpMethod.Get, "/api/program");
        Assert.That(current.GetProperty("version").GetInt32(), Is.EqualTo(1));
        var (bad, problem) = await Call(HttpMethod.Put, "/api/program", new { holdDays = 400, reward = new { type = "fixed_amount", value = 0 } });
        Assert.That(bad, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[] { "holdDays", "reward.value" }));
        var (ok, saved) = await Call(HttpMethod.Put, "/api/program", new { holdDays = 7, reward = new { type = "store_credit", value = 15 } });
        Assert.That(ok, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((saved.GetProperty("version").GetInt32(), saved.GetProperty("settings").GetProperty("reward").GetProperty("type").GetString()), Is.EqualTo((2, "store_credit")));
        Assert.That((await Call(HttpMethod.Put, "/api/program", "not a program")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Analytics_BadInput_ProblemDetails()
    {
        Assert.That((await Call(HttpMethod.Get, "/api/analytics?interval=month")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Call(HttpMethod.Get, "/api/analytics?from=2026-11-10&to=2026-11-01")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Call(HttpMethod.Get, "/api/analytics?from=2020-01-01&to=2026-11-01")).Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Call(HttpMethod.Get, "/api/analytics")).Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
