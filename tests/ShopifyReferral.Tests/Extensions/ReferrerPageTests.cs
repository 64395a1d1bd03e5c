using System.Net;
using Dapper;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>GET /extensions/referrer with the customer-account token: the referrer's code, friends and rewards, from the real flow.</summary>
public class ReferrerPageTests
{
    private EngineHarness _h = null!;
    private ExtensionClient _x = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        _x = new ExtensionClient(_h);
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private string JaneToken() => _h.Store.IssueExtensionToken(EngineHarness.Shop, ExtensionClient.Customer(EngineHarness.JaneId));

    [Test]
    public async Task Referrer_SeesCodeLink_FriendOnHoldUntil_ThenTheIssuedRewardWithItsCode_ThenExpired()
    {
        var jane = await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/create/with-code.json");
        await _h.DeliverAsync("orders/paid/with-code.json");

        var (status, page, _) = await _x.ReferrerAsync(JaneToken());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), page.ToString());
        Assert.That((page.GetProperty("enrolled").GetBoolean(), page.GetProperty("code").GetString()), Is.EqualTo((true, jane.Code)));
        Assert.That(page.GetProperty("shareUrl").GetString(), Does.Contain($"/r/{jane.Code}?ch=copy"));
        var friend = page.GetProperty("referrals").EnumerateArray().Single();
        Assert.That(friend.GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(friend.GetProperty("holdUntil").GetString(), Is.EqualTo("2026-12-06T12:00:00.000Z"), "14 days after payment");
        Assert.That(page.GetProperty("rewards").GetArrayLength(), Is.Zero);

        await _h.PassHoldAndIssueAsync();
        var reward = (await _x.ReferrerAsync(JaneToken())).Body.GetProperty("rewards").EnumerateArray().Single();
        Assert.That(reward.GetProperty("status").GetString(), Is.EqualTo("issued"));
        Assert.That(reward.GetProperty("code").GetString(), Does.StartWith("THANKS-"));
        Assert.That(reward.GetProperty("description").GetString(), Does.Contain("off your next order"));

        _h.Time.Advance(TimeSpan.FromDays(91));
        reward = (await _x.ReferrerAsync(JaneToken())).Body.GetProperty("rewards").EnumerateArray().Single();
        Assert.That(reward.GetProperty("status").GetString(), Is.EqualTo("expired"));
        Assert.That(reward.GetProperty("code").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null), "an expired code is no use to show");
    }

    [Test]
    public async Task ClawedBackReward_ShowsAsSuch()
    {
        var jane = await _h.EnrolJaneAsync();
        using (var db = _h.App.OpenDb())
            db.Execute("""
                INSERT INTO rewards (shop, referrer_id, kind, idempotency_key, reward_type, amount_minor, currency, status, created_at)
                VALUES (@shop, @id, 'referral', 'k-1', 'fixed_amount', 1000, 'USD', 'clawed_back', 1)
                """, new { shop = EngineHarness.Shop, id = jane.Id });
        var reward = (await _x.ReferrerAsync(JaneToken())).Body.GetProperty("rewards").EnumerateArray().Single();
        Assert.That((reward.GetProperty("status").GetString(), reward.GetProperty("description").GetString()), Is.EqualTo(("clawed_back", "10 USD off your next order")));
    }

    [Test]
    public async Task NotEnrolled_SaysHowToJoin_AndEnrolsNobody()
    {
        var (status, page, _) = await _x.ReferrerAsync(JaneToken());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((page.GetProperty("enrolled").GetBoolean(), page.GetProperty("programOn").GetBoolean()), Is.EqualTo((false, true)));
        Assert.That(page.GetProperty("join").GetString(), Does.Contain("Join"));
        Assert.That(_x.Referrers(), Is.Zero);
    }

    [Test]
    public async Task ATokenWithoutACustomer_401()
    {
        await _h.EnrolJaneAsync();
        var (status, body, _) = await _x.ReferrerAsync(_h.Store.IssueExtensionToken(EngineHarness.Shop, null));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body.GetProperty("detail").GetString(), Does.Contain("sub"));
    }

    [TestCase("forged", null)]
    [TestCase(null, "alien-app")]
    public async Task ForgedOrForeignToken_401(string? secret, string? aud)
    {
        await _h.EnrolJaneAsync();
        var (status, _, _) = await _x.ReferrerAsync(_x.Token(sub: ExtensionClient.Customer(EngineHarness.JaneId), secret: secret, aud: aud));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
