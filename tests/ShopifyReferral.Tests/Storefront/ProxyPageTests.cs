using System.Net;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Storefront;

/// <summary>GET /proxy and POST /proxy/join over HTTP: what each shopper sees, and that forged requests change nothing.</summary>
public class ProxyPageTests
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

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> Get(string query)
    {
        var response = await _http.GetAsync("/proxy" + query);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Test]
    public async Task Anonymous_AnswersTheFourQuestionsFromTheProgram_AndOffersLogin()
    {
        var (status, body, response) = await Get(ProxyQuery.Signed(Shop, null, _time.GetUtcNow()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(body, Does.Contain("How do I join?").And.Contain("What do I get for each referral?")
            .And.Contain("When do I get it?").And.Contain("How do I redeem it?"));
        // The default program: 10 % for the friend, 10 off for the referrer, 14-day hold, codes valid 90 days.
        Assert.That(body, Does.Contain("Give 10% off, get 10 off your next order").And.Contain("14 days after")
            .And.Contain("valid for 90 days"));
        Assert.That(body, Does.Contain("/account/login?return_url=%2Fapps%2Freferral"));
        Assert.That(body, Does.Not.Contain("<form"));
    }

    [Test]
    public async Task Wording_FollowsTheShopsProgram()
    {
        var programs = _app.Service<ShopifyReferral.Referrals.ProgramStore>();
        var p = await programs.GetActiveAsync(Shop);
        await programs.SaveAsync(Shop, p.Settings with
        {
            HoldDays = 0, Reward = new(ShopifyReferral.Referrals.RewardType.StoreCredit, 15m, 30),
        });
        var (_, body, _) = await Get(ProxyQuery.Signed(Shop, null, _time.GetUtcNow()));
        Assert.That(body, Does.Contain("15 in store credit").And.Contain("As soon as your friend").And.Contain("store credit balance"));
    }

    [Test]
    public async Task LoggedInNotEnrolled_ShowsJoinFormPostingToTheStorefrontPath()
    {
        var (_, body, _) = await Get(ProxyQuery.Signed(Shop, 555, _time.GetUtcNow()));
        Assert.That(body, Does.Contain("<form method=\"post\" action=\"/apps/referral/join\">"));
    }

    [Test]
    public async Task Join_Enrols_Redirects303_AndTwiceKeepsTheSameCode()
    {
        var first = await _http.PostAsync("/proxy/join" + ProxyQuery.Signed(Shop, 555, _time.GetUtcNow()), null);
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(first.Headers.Location!.OriginalString, Is.EqualTo("/apps/referral"));
        var code = _app.Count("SELECT COUNT(*) FROM referrers WHERE shop = @Shop AND customer_id = 555", new { Shop });
        Assert.That(code, Is.EqualTo(1));
        await _http.PostAsync("/proxy/join" + ProxyQuery.Signed(Shop, 555, _time.GetUtcNow()), null);
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers WHERE shop = @Shop", new { Shop }), Is.EqualTo(1));
    }

    [Test]
    public async Task JoinWithoutPrefix_RendersThePageWithTheCode()
    {
        var response = await _http.PostAsync("/proxy/join" + ProxyQuery.Signed(Shop, 556, _time.GetUtcNow(), prefix: ""), null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("Your code").And.Contain("FRIEND-"));
    }

    [Test]
    public async Task Enrolled_SeesCodeShareLinkButtonsReferralsAndRewards()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 777);
        StorefrontSeed.AddReferral(_app, jane, 1001, "rewarded", "issued", "THANKS-ABCDEF2345");
        StorefrontSeed.AddReferral(_app, jane, 1002, "pending");
        var (_, body, _) = await Get(ProxyQuery.Signed(Shop, 777, _time.GetUtcNow()));
        Assert.That(body, Does.Contain(jane.Code));
        Assert.That(body, Does.Contain($"value=\"http://127.0.0.1:5999/r/{jane.Code}?ch=copy&amp;s=alpha\""));
        foreach (var channel in new[] { "mailto:", "sms:", "https://wa.me/", "https://www.facebook.com/sharer/", "https://x.com/intent/post" })
            Assert.That(body, Does.Contain($"href=\"{channel}"), channel);
        Assert.That(body, Does.Contain("data-copy=\"#share-link\""));
        Assert.That(body, Does.Contain("#1001").And.Contain("Rewarded").And.Contain("#1002").And.Contain("Waiting for the return window"));
        Assert.That(body, Does.Contain("10 EUR off your next order").And.Contain("THANKS-ABCDEF2345").And.Contain("Ready to use until"));
        Assert.That(body, Does.Not.Contain("friend@example.com"), "a referrer never sees their friend's email");
    }

    [Test]
    public async Task Enrolled_RewardsWithWholeAndFractionalAmounts_EachReadsExactly()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 779);
        StorefrontSeed.AddReferral(_app, jane, 1011, "rewarded", "issued", "THANKS-WHOLE23456", rewardCents: 1000);
        StorefrontSeed.AddReferral(_app, jane, 1012, "rewarded", "issued", "THANKS-CENTS23456", rewardCents: 750);
        var (status, body, _) = await Get(ProxyQuery.Signed(Shop, 779, _time.GetUtcNow()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(body, Does.Contain("10 EUR off your next order").And.Contain("7.50 EUR off your next order"));
    }

    [Test]
    public async Task RewardCode_IsShownOnlyOnceIssued()
    {
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 778);
        StorefrontSeed.AddReferral(_app, jane, 1003, "approved", "owed", "THANKS-NOTYET2345");
        var (_, body, _) = await Get(ProxyQuery.Signed(Shop, 778, _time.GetUtcNow()));
        Assert.That(body, Does.Contain("Being issued").And.Not.Contain("THANKS-NOTYET2345"));
    }

    [Test]
    public async Task ForgedCustomerId_401_AndJoinChangesNothing()
    {
        var signed = ProxyQuery.Signed(Shop, 555, _time.GetUtcNow());
        var forged = signed.Replace("logged_in_customer_id=555", "logged_in_customer_id=999");
        Assert.That((await Get(forged)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        var join = await _http.PostAsync("/proxy/join" + forged, null);
        Assert.That(join.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await join.Content.ReadAsStringAsync(), Does.Contain("bad signature"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(0));
    }

    [Test]
    public async Task StaleSignature_401_AndJoinChangesNothing()
    {
        var old = ProxyQuery.Signed(Shop, 555, _time.GetUtcNow().AddSeconds(-91));
        Assert.That((await Get(old)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        var join = await _http.PostAsync("/proxy/join" + old, null);
        Assert.That(join.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await join.Content.ReadAsStringAsync(), Does.Contain("stale timestamp"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(0));
    }

    [Test]
    public async Task WrongSecret_401() =>
        Assert.That((await Get(ProxyQuery.Signed(Shop, 555, _time.GetUtcNow(), secret: "not-ours"))).Status, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task RepeatedShopParam_401()
    {
        var (status, body, _) = await Get(ProxyQuery.Signed(Shop, 555, _time.GetUtcNow()) + "&shop=beta.myshopify.com");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body, Does.Contain("'shop' appears more than once"));
    }

    [Test]
    public async Task AnonymousJoin_400_ChangesNothing()
    {
        var join = await _http.PostAsync("/proxy/join" + ProxyQuery.Signed(Shop, null, _time.GetUtcNow()), null);
        Assert.That(join.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(0));
    }

    [Test]
    public async Task ShopWithoutTheApp_FriendlyPage404()
    {
        var (status, body, _) = await Get(ProxyQuery.Signed("gamma.myshopify.com", 555, _time.GetUtcNow()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.Contain("not running"));
        var join = await _http.PostAsync("/proxy/join" + ProxyQuery.Signed("gamma.myshopify.com", 555, _time.GetUtcNow()), null);
        Assert.That(join.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_app.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(0));
    }
}
