using System.Globalization;
using System.Net;
using System.Web;
using ShopifyReferral.Sandbox.OAuth;

namespace ShopifyReferral.Tests.Install;

/// <summary>Forged, stale, replayed or malformed install and callback requests: refused, one case each, nothing changed.</summary>
public class InstallForgeryTests
{
    private const string Shop = "forge.myshopify.com";
    private InstallHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await InstallHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private string Now => _h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private string Signed(Dictionary<string, string> query, string? secret = null) =>
        ShopifySigning.SignQuery(query, secret ?? _h.Store.Options.ClientSecret);

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        var response = await _h.Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A genuine install, so the callback cases have a live state to aim at.</summary>
    private async Task<string> IssueStateAsync()
    {
        var response = await _h.Http.GetAsync("/auth/install?" + Signed(new() { ["shop"] = Shop, ["timestamp"] = Now }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var location = response.Headers.Location!;
        Assert.That(location.GetLeftPart(UriPartial.Path), Is.EqualTo($"{_h.Store.BaseAddress}{Shop}/admin/oauth/authorize"));
        var q = HttpUtility.ParseQueryString(location.Query);
        Assert.That(q["client_id"], Is.EqualTo(_h.Store.Options.ClientId));
        Assert.That(q["redirect_uri"], Is.EqualTo(_h.AppUrl + "auth/callback"));
        Assert.That(q["scope"], Does.Contain("write_discounts"));
        return q["state"]!;
    }

    private Dictionary<string, string> Callback(string state, string? shop = null, string? timestamp = null) => new()
    {
        ["code"] = _h.Store.CreateAuthorizationCode(Shop), ["shop"] = shop ?? Shop, ["state"] = state, ["timestamp"] = timestamp ?? Now,
    };

    private void AssertNothingInstalled()
    {
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM shops"), Is.Zero);
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM shop_tokens"), Is.Zero);
        Assert.That(_h.Store.WebhookSubscriptions(Shop), Is.Empty);
    }

    [Test]
    public async Task Install_BadHmac_401()
    {
        var (status, body) = await GetAsync("/auth/install?" + Signed(new() { ["shop"] = Shop, ["timestamp"] = Now }, "wrong-secret"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body);
        Assert.That(body, Does.Contain("does not match"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM oauth_states"), Is.Zero, "no state issued");
    }

    [Test]
    public async Task Install_StaleTimestamp_401()
    {
        var stale = _h.Time.GetUtcNow().AddMinutes(-2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var (status, body) = await GetAsync("/auth/install?" + Signed(new() { ["shop"] = Shop, ["timestamp"] = stale }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body);
        Assert.That(body, Does.Contain("timestamp"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM oauth_states"), Is.Zero);
    }

    [Test]
    public async Task Install_BadShop_400AndNoRedirect()
    {
        var (status, body) = await GetAsync("/auth/install?" + Signed(new() { ["shop"] = "evil.example.com", ["timestamp"] = Now }));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("invalid-shop"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM oauth_states"), Is.Zero);
    }

    [Test]
    public async Task Callback_BadHmac_401AndStateNotBurnt()
    {
        var state = await IssueStateAsync();
        var (status, _) = await GetAsync("/auth/callback?" + Signed(Callback(state), "wrong-secret"));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        AssertNothingInstalled();
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM oauth_states"), Is.EqualTo(1), "a forgery cannot use up the merchant's state");
    }

    [Test]
    public async Task Callback_StaleTimestamp_401()
    {
        var state = await IssueStateAsync();
        var stale = _h.Time.GetUtcNow().AddSeconds(-91).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var (status, _) = await GetAsync("/auth/callback?" + Signed(Callback(state, timestamp: stale)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        AssertNothingInstalled();
    }

    [Test]
    public async Task Callback_WrongState_401()
    {
        await IssueStateAsync();
        var (status, body) = await GetAsync("/auth/callback?" + Signed(Callback("0123456789abcdef0123456789abcdef")));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body);
        Assert.That(body, Does.Contain("state"));
        AssertNothingInstalled();
    }

    [Test]
    public async Task Callback_StateOfAnotherShop_401()
    {
        var state = await IssueStateAsync();
        var (status, _) = await GetAsync("/auth/callback?" + Signed(Callback(state, shop: "other.myshopify.com")));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        AssertNothingInstalled();
    }

    [Test]
    public async Task Callback_ReplayedState_401SecondTime()
    {
        var state = await IssueStateAsync();
        var first = await GetAsync("/auth/callback?" + Signed(Callback(state)));
        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.Redirect), first.Body);
        var tokenBefore = (await _h.Get<ShopifyReferral.Shops.ShopTokens>().FindAsync(Shop, default))!.AccessToken;

        var (status, body) = await GetAsync("/auth/callback?" + Signed(Callback(state)));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), body);
        Assert.That((await _h.Get<ShopifyReferral.Shops.ShopTokens>().FindAsync(Shop, default))!.AccessToken, Is.EqualTo(tokenBefore), "nothing changed");
    }

    [Test]
    public async Task Callback_ExpiredState_401()
    {
        var state = await IssueStateAsync();
        _h.Time.Advance(TimeSpan.FromMinutes(11));
        var (status, _) = await GetAsync("/auth/callback?" + Signed(Callback(state)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        AssertNothingInstalled();
    }

    [Test]
    public async Task Callback_BadShop_400()
    {
        var state = await IssueStateAsync();
        var (status, _) = await GetAsync("/auth/callback?" + Signed(Callback(state, shop: "forge.myshopify.com.evil.com")));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        AssertNothingInstalled();
    }
}
