using System.Net;
using System.Text.Json;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Storefront;

namespace ShopifyReferral.Tests.Merchant;

/// <summary>
/// The detail endpoints: /api/referrers/{id} and /api/referrals/{id} by OUR ids, the lookup by Shopify customer id, the
/// referrals of one referrer; and the old customer-id meaning of /api/referrers/{id}, answered for one release with a Deprecation header.
/// </summary>
public class DetailEndpointsTests
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

    private Task<HttpResponseMessage> Get(string path, string shop)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", Sessions.Token(shop));
        return _http.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, string? field = null)
    {
        Assert.That(r.StatusCode, Is.EqualTo(status), await r.Content.ReadAsStringAsync());
        Assert.That(r.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null) Assert.That((await Json(r)).GetProperty("errors").TryGetProperty(field, out _), Is.True, field);
    }

    [Test]
    public async Task Referrer_ByOurId_WithReferralsRewardsAndId_NotDeprecated()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "rewarded", "issued", "THANKS-ABCDEF2345");
        var response = await Get($"/api/referrers/{jane.Id}", A);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Deprecation"), Is.False);
        var j = await Json(response);
        Assert.That(j.GetProperty("id").GetInt64(), Is.EqualTo(jane.Id));
        Assert.That(j.GetProperty("customerId").GetInt64(), Is.EqualTo(777));
        Assert.That(j.GetProperty("code").GetString(), Is.EqualTo(jane.Code));
        Assert.That(j.GetProperty("referrals").GetArrayLength(), Is.EqualTo(1));
        Assert.That(j.GetProperty("rewards")[0].GetProperty("code").GetString(), Is.EqualTo("THANKS-ABCDEF2345"));
    }

    [Test]
    public async Task Referrer_UnknownOrOtherShopsId_404Problem()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        await AssertProblem(await Get($"/api/referrers/{jane.Id + 1000}", A), HttpStatusCode.NotFound);
        await AssertProblem(await Get($"/api/referrers/{jane.Id}", B), HttpStatusCode.NotFound);
        await AssertProblem(await Get("/api/referrers/by-customer/777", B), HttpStatusCode.NotFound);
        await AssertProblem(await Get("/api/referrers/by-customer/778", A), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Referrer_OldCustomerIdMeaning_StillAnswers_WithDeprecationAndLink()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        var response = await Get("/api/referrers/777", A);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Deprecation").Single(), Is.EqualTo("@1796083200"), "RFC 9745: the date the meaning was deprecated");
        Assert.That(response.Headers.GetValues("Link").Single(), Does.Contain("</api/referrers/by-customer/777>"));
        Assert.That((await Json(response)).GetProperty("id").GetInt64(), Is.EqualTo(jane.Id));
    }

    [Test]
    public async Task Referrer_OurIdWins_WhenItIsAlsoAnotherReferrersCustomerId()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        var other = await StorefrontSeed.EnrolAsync(_app, A, jane.Id, "Zoe"); // her Shopify customer id is Jane's referrer id
        var response = await Get($"/api/referrers/{jane.Id}", A);
        Assert.That(response.Headers.Contains("Deprecation"), Is.False);
        Assert.That((await Json(response)).GetProperty("id").GetInt64(), Is.EqualTo(jane.Id));
        var byCustomer = await Json(await Get($"/api/referrers/by-customer/{jane.Id}", A));
        Assert.That(byCustomer.GetProperty("id").GetInt64(), Is.EqualTo(other.Id));
    }

    [Test]
    public async Task Referrers_ByCustomerIdQuery_OneOrNone_BadValue400()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        await StorefrontSeed.EnrolAsync(_app, A, 778, "Zoe");
        var found = await Json(await Get("/api/referrers?customerId=777", A));
        Assert.That(found.GetArrayLength(), Is.EqualTo(1));
        Assert.That(found[0].GetProperty("id").GetInt64(), Is.EqualTo(jane.Id));
        Assert.That((await Json(await Get("/api/referrers?customerId=777", B))).GetArrayLength(), Is.Zero);
        Assert.That((await Json(await Get("/api/referrers?customerId=779", A))).GetArrayLength(), Is.Zero);
        await AssertProblem(await Get("/api/referrers?customerId=0", A), HttpStatusCode.BadRequest, "customerId");
        Assert.That((await Get("/api/referrers?customerId=abc", A)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Referral_ById_ListShape_404OutsideThisShop()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        var id = StorefrontSeed.AddReferral(_app, jane, 1001, "review");
        var response = await Get($"/api/referrals/{id}", A);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var j = await Json(response);
        var row = (await Json(await Get("/api/referrals", A)))[0];
        Assert.That(j.ToString(), Is.EqualTo(row.ToString()), "the same shape and values as the list's row");
        Assert.That(j.GetProperty("orderId").GetInt64(), Is.EqualTo(1001));
        Assert.That(j.GetProperty("checks").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(j.GetProperty("decisions").ValueKind, Is.EqualTo(JsonValueKind.Array));
        await AssertProblem(await Get($"/api/referrals/{id}", B), HttpStatusCode.NotFound);
        await AssertProblem(await Get($"/api/referrals/{id + 1000}", A), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Referrals_ByReferrerId_OnlyTheirs_BadValue400()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, A, 777);
        var zoe = await StorefrontSeed.EnrolAsync(_app, A, 778, "Zoe");
        StorefrontSeed.AddReferral(_app, jane, 1001, "review");
        StorefrontSeed.AddReferral(_app, zoe, 1002, "pending");
        StorefrontSeed.AddReferral(_app, zoe, 1003, "review");
        var zoes = await Json(await Get($"/api/referrals?referrerId={zoe.Id}", A));
        Assert.That(zoes.EnumerateArray().Select(r => r.GetProperty("orderId").GetInt64()), Is.EquivalentTo(new[] { 1002L, 1003L }));
        Assert.That((await Json(await Get($"/api/referrals?referrerId={zoe.Id}&status=review", A))).GetArrayLength(), Is.EqualTo(1));
        Assert.That((await Json(await Get($"/api/referrals?referrerId={zoe.Id}", B))).GetArrayLength(), Is.Zero);
        await AssertProblem(await Get("/api/referrals?referrerId=0", A), HttpStatusCode.BadRequest, "referrerId");
        Assert.That((await Get("/api/referrals?referrerId=abc", A)).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
