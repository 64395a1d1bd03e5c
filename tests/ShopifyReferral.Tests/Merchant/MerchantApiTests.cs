using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Storefront;

namespace ShopifyReferral.Tests.Merchant;

/// <summary>The section-4 endpoints, and for each one: shop B's token never reads or changes shop A's data.</summary>
public class MerchantApiTests
{
    private const string A = "alpha.myshopify.com";
    private const string B = "beta.myshopify.com";
    private TestApp _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task Start()
    {
        _app = new TestApp(StorefrontSeed.Settings());
        _http = _app.CreateClient();
        await StorefrontSeed.InstallAsync(_app, A);
        await StorefrontSeed.InstallAsync(_app, B);
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    private Task<HttpResponseMessage> Send(HttpMethod method, string path, string shop, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Sessions.Token(shop));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private const string Program = """
        {"friendOffer":{"type":"fixed_amount","value":15},"reward":{"type":"store_credit","value":20,"expiresInDays":60},"holdDays":7}
        """;

    [Test]
    public async Task GetProgram_DefaultsThenPutWritesANewVersion()
    {
        var first = await Json(await Send(HttpMethod.Get, "/api/program", A));
        Assert.That(first.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(first.GetProperty("settings").GetProperty("friendOffer").GetProperty("type").GetString(), Is.EqualTo("percentage"));

        var put = await Send(HttpMethod.Put, "/api/program", A, Program);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var saved = await Json(await Send(HttpMethod.Get, "/api/program", A));
        Assert.That(saved.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(saved.GetProperty("settings").GetProperty("reward").GetProperty("type").GetString(), Is.EqualTo("store_credit"));
        Assert.That(saved.GetProperty("settings").GetProperty("holdDays").GetInt32(), Is.EqualTo(7));
    }

    [Test]
    public async Task PutWhatGetReturned_KeepsTheProgram_NotTheDefaults()
    {
        await Send(HttpMethod.Put, "/api/program", A, Program);
        var got = await Send(HttpMethod.Get, "/api/program", A);
        var body = await got.Content.ReadAsStringAsync();

        var put = await Send(HttpMethod.Put, "/api/program", A, body);
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
        var before = (await Json(got)).GetProperty("settings");
        var after = await Json(await Send(HttpMethod.Get, "/api/program", A));
        Assert.That(after.GetProperty("version").GetInt32(), Is.EqualTo(3));
        Assert.That(after.GetProperty("settings").ToString(), Is.EqualTo(before.ToString()), "GET's body sent back changes nothing");
        Assert.That(after.GetProperty("settings").GetProperty("reward").GetProperty("type").GetString(), Is.EqualTo("store_credit"));
    }

    [Test]
    public async Task PutProgram_InvalidValues_ValidationProblemNamingEachField_NothingSaved()
    {
        var put = await Send(HttpMethod.Put, "/api/program", A, """{"friendOffer":{"type":"percentage","value":150},"holdDays":-1}""");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(put.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var errors = (await Json(put)).GetProperty("errors");
        Assert.That(errors.TryGetProperty("friendOffer.value", out _) && errors.TryGetProperty("holdDays", out _), errors.ToString());
        Assert.That(_app.Count("SELECT COUNT(*) FROM programs WHERE shop = @A AND version > 1", new { A }), Is.Zero);
    }

    [Test]
    public async Task PutProgram_WrongType_ValidationProblemNamingTheField()
    {
        var put = await Send(HttpMethod.Put, "/api/program", A, """{"reward":{"type":"gold_bars"}}""");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json(put)).GetProperty("errors").TryGetProperty("reward.type", out _));
    }

    [Test]
    public async Task PostReferrer_Creates201ThenIdempotent200_SameCode()
    {
        var body = """{"customerId":115310627,"email":"jane@example.com","firstName":"Jane","lastName":"Doe"}""";
        var first = await Send(HttpMethod.Post, "/api/referrers", A, body);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var j = await Json(first);
        var code = j.GetProperty("code").GetString()!;
        Assert.That(code, Does.StartWith("JANE-"));
        Assert.That(j.GetProperty("shareLink").GetString(), Is.EqualTo($"http://127.0.0.1:5999/r/{code}?ch=link&s=alpha"));
        Assert.That(j.GetProperty("discountLink").GetString(), Is.EqualTo($"https://{A}/discount/{code}?redirect=/"));

        var again = await Send(HttpMethod.Post, "/api/referrers", A, body);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Json(again)).GetProperty("code").GetString(), Is.EqualTo(code));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(1));
    }

    [Test]
    public async Task PostReferrer_BadInput_ValidationProblem_AndTakenVanityCode409()
    {
        var bad = await Send(HttpMethod.Post, "/api/referrers", A, """{"email":"nope","code":"x!"}""");
        var errors = (await Json(bad)).GetProperty("errors");
        Assert.That(errors.TryGetProperty("customerId", out _) && errors.TryGetProperty("email", out _) && errors.TryGetProperty("code", out _));
        await Send(HttpMethod.Post, "/api/referrers", A, """{"customerId":1,"code":"SUMMER"}""");
        var taken = await Send(HttpMethod.Post, "/api/referrers", A, """{"customerId":2,"code":"summer"}""");
        Assert.That(taken.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task GetReferrer_WithReferralsAndRewards_404WhenUnknown()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "rewarded", "issued", "THANKS-ABCDEF2345");
        var j = await Json(await Send(HttpMethod.Get, "/api/referrers/by-customer/777", A));
        Assert.That(j.GetProperty("code").GetString(), Is.EqualTo(jane.Code));
        Assert.That(j.GetProperty("referrals").GetArrayLength(), Is.EqualTo(1));
        Assert.That(j.GetProperty("rewards")[0].GetProperty("code").GetString(), Is.EqualTo("THANKS-ABCDEF2345"));
        Assert.That((await Send(HttpMethod.Get, "/api/referrers/by-customer/778", A)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task GetReferrals_FiltersByStatus_RejectsUnknownStatus()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "review");
        StorefrontSeed.AddReferral(_app, jane, 1002, "pending");
        var review = await Json(await Send(HttpMethod.Get, "/api/referrals?status=review", A));
        Assert.That(review.GetArrayLength(), Is.EqualTo(1));
        Assert.That(review[0].GetProperty("orderId").GetInt64(), Is.EqualTo(1001));
        Assert.That((await Json(await Send(HttpMethod.Get, "/api/referrals", A))).GetArrayLength(), Is.EqualTo(2));
        var bad = await Send(HttpMethod.Get, "/api/referrals?status=paid", A);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Json(bad)).GetProperty("errors").TryGetProperty("status", out _));
    }

    // Tenant isolation, one test per endpoint: shop B's token against shop A's data.

    [Test]
    public async Task Isolation_GetProgram_BSeesOnlyItsOwn()
    {
        await Send(HttpMethod.Put, "/api/program", A, Program);
        var b = await Json(await Send(HttpMethod.Get, "/api/program", B));
        Assert.That(b.GetProperty("version").GetInt32(), Is.EqualTo(1));
        Assert.That(b.GetProperty("settings").GetProperty("reward").GetProperty("type").GetString(), Is.Not.EqualTo("store_credit"));
    }

    [Test]
    public async Task Isolation_PutProgram_ChangesOnlyB()
    {
        await Send(HttpMethod.Put, "/api/program", A, Program);
        Assert.That((await Send(HttpMethod.Put, "/api/program", B, """{"holdDays":30}""")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var a = await Json(await Send(HttpMethod.Get, "/api/program", A));
        Assert.That(a.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That(a.GetProperty("settings").GetProperty("holdDays").GetInt32(), Is.EqualTo(7));
    }

    [Test]
    public async Task Isolation_PostReferrer_EnrolsInBOnly_AsCodeInANeverLeaks()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        var b = await Json(await Send(HttpMethod.Post, "/api/referrers", B, """{"customerId":777,"firstName":"Mallory"}"""));
        Assert.That(b.GetProperty("code").GetString(), Is.Not.EqualTo(jane.Code));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE shop = @A AND code = @Code AND first_name = 'Jane'", new { A, jane.Code }), Is.EqualTo(1));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE shop = @B", new { B }), Is.EqualTo(1));
    }

    [Test]
    public async Task Isolation_GetReferrer_AsCustomerIs404ForB()
    {
        await StorefrontSeed.EnrolAsync(_app, A, 777);
        var response = await Send(HttpMethod.Get, "/api/referrers/by-customer/777", B);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Isolation_GetReferrals_BSeesNoneOfAs()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "review");
        Assert.That((await Json(await Send(HttpMethod.Get, "/api/referrals", B))).GetArrayLength(), Is.Zero);
        Assert.That((await Json(await Send(HttpMethod.Get, "/api/referrals?status=review", B))).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task EveryEndpoint_WithoutToken_401()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/program"), (HttpMethod.Put, "/api/program"), (HttpMethod.Post, "/api/referrers"),
                     (HttpMethod.Get, "/api/referrers/1"), (HttpMethod.Get, "/api/referrals") })
            Assert.That((await _http.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(new { }) })).StatusCode,
                Is.EqualTo(HttpStatusCode.Unauthorized), path);
    }
}
