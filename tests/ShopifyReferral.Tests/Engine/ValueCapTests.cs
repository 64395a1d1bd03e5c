using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Engine;

/// <summary>The yearly cap on reward value: counted over rewards not clawed back, and over referrals still in the hold.</summary>
public class ValueCapTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<Referral> FriendAsync(int friend)
    {
        var placed = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = 7000 + friend, Email = $"friend{friend}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{friend}",
        }, _h.WebhookUrl);
        Assert.That(placed.All(d => d.Succeeded));
        await _h.ProcessAsync();
        return _h.Referral(_h.Store.Orders(EngineHarness.Shop)[^1].Id)!;
    }

    [Test]
    public async Task ValueCap_ReferralsInTheHold_CountTowardsIt()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { Reward = new(RewardType.FixedAmount, 50m), YearlyValueCapPerReferrer = 100m });
        await _h.EnrolJaneAsync();
        Assert.That((await FriendAsync(1)).Status, Is.EqualTo("pending"));
        Assert.That((await FriendAsync(2)).Status, Is.EqualTo("pending"));
        var third = await FriendAsync(3);
        Assert.That((third.Status, third.StatusReason),
            Is.EqualTo(("rejected", "yearly reward cap of 100 USD reached: 0 USD issued this year and 2 referral(s) worth 100 USD in the hold.")));
    }

    [Test]
    public async Task ValueCap_ClawedBackRewardNoLongerCounts_PercentagesNeverDo()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            Reward = new(RewardType.FixedAmount, 60m), YearlyValueCapPerReferrer = 100m, HoldDays = 0,
        });
        await _h.EnrolJaneAsync();
        await FriendAsync(1);
        Assert.That(await _h.PassHoldAndIssueAsync(days: 0), Is.EqualTo(1));
        var second = await FriendAsync(2);
        Assert.That((second.Status, second.StatusReason),
            Is.EqualTo(("rejected", "yearly reward cap of 100 USD reached: 60 USD issued this year, so this referral's 60 USD would pass it.")));

        using (var db = _h.App.OpenDb()) db.Execute("UPDATE rewards SET status = 'clawed_back'"); // its order was refunded
        Assert.That((await FriendAsync(3)).Status, Is.EqualTo("approved"), "a reward clawed back is not a reward given");

        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            Reward = new(RewardType.Percentage, 15m), YearlyValueCapPerReferrer = 1m, HoldDays = 0, YearlyCapPerReferrer = null,
        });
        Assert.That((await FriendAsync(4)).Status, Is.EqualTo("approved"), "a percentage has no fixed value to cap");
    }
}
