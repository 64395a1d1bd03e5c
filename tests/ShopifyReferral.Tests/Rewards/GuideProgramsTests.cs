using System.Net;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Storefront;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// The four programs the referral guides show, each run end to end against the sandbox store: friends order with
/// Jane's code, the hold passes, and each reward is what the program promised (README "Programs").
/// </summary>
public class GuideProgramsTests
{
    private const string Code = "SAMREF-7Q2K";

    private static async Task FriendOrdersAsync(EngineHarness h, int friend)
    {
        var deliveries = await h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = 7000 + friend, Email = $"friend{friend}@example.com", DiscountCode = Code, BrowserIp = $"198.51.100.{friend}",
        }, h.WebhookUrl);
        Assert.That(deliveries.All(d => d.Succeeded), $"friend {friend}'s order delivered");
        await h.ProcessAsync();
    }

    private static async Task<decimal> RewardCostAsync(EngineHarness h)
    {
        var (status, body) = await h.ApiAsync(HttpMethod.Get, "/api/analytics?from=2026-11-01&to=2026-12-31&interval=week");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        return body.GetProperty("totals").GetProperty("rewardCost").GetDecimal();
    }

    [Test]
    public async Task FourGuidePrograms_RunEndToEnd_EachRewardAsPromised()
    {
        // Rothy's: give $20, get $20.
        await using (var h = await StartAsync(new ProgramSettings
        {
            FriendOffer = new(OfferType.FixedAmount, 20m), Reward = new(RewardType.FixedAmount, 20m),
        }))
        {
            Assert.That(h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(Code)).Amount, Is.EqualTo(20m), "the friend's $20");
            await FriendOrdersAsync(h, 1);
            Assert.That(await h.PassHoldAndIssueAsync(), Is.EqualTo(1));
            Assert.That(h.RewardDiscounts().Single().Amount, Is.EqualTo(20m), "Jane's $20");
            Assert.That(await RewardCostAsync(h), Is.EqualTo(20m));
        }

        // MeUndies: 20 % off for the friend, $20 for the referrer (as store credit).
        await using (var h = await StartAsync(new ProgramSettings
        {
            FriendOffer = new(OfferType.Percentage, 20m), Reward = new(RewardType.StoreCredit, 20m),
        }))
        {
            Assert.That(h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(Code)).Percentage, Is.EqualTo(0.2m));
            await FriendOrdersAsync(h, 1);
            Assert.That(await h.PassHoldAndIssueAsync(), Is.EqualTo(1));
            Assert.That(h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD"), Is.EqualTo(20m));
        }

        // Koodo: $50 each side, capped at $300 a year per referrer (here a $50 gift card per friend).
        await using (var h = await StartAsync(new ProgramSettings
        {
            FriendOffer = new(OfferType.FixedAmount, 50m), Reward = new(RewardType.GiftCard, 50m, ExpiresInDays: 365),
            HoldDays = 0, YearlyValueCapPerReferrer = 300m,
        }))
        {
            for (var friend = 1; friend <= 7; friend++)
            {
                await FriendOrdersAsync(h, friend);
                await h.PassHoldAndIssueAsync(days: 0);
                h.Time.Advance(TimeSpan.FromHours(1));
            }
            Assert.That(h.Store.GiftCards(EngineHarness.Shop).Select(c => c.InitialValue), Is.EqualTo(Enumerable.Repeat(50m, 6)), "six cards, $300");
            var seventh = h.Store.Orders(EngineHarness.Shop)[^1];
            Assert.That((h.Referral(seventh.Id)!.Status, h.Referral(seventh.Id)!.StatusReason),
                Is.EqualTo(("rejected", "yearly reward cap of 300 USD reached: 300 USD issued this year.")));
            Assert.That(await RewardCostAsync(h), Is.EqualTo(300m), "gift cards at face value");
        }

        // Riff Raff: five friends earn a toy (a free product at its $68 price), on top of $10 per friend.
        await using (var h = await StartAsync(null))
        {
            var toy = h.Store.AddProduct(EngineHarness.Shop, "Plush Toy", 68m);
            await h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
            {
                Reward = new(RewardType.FixedAmount, 10m),
                Milestones = [new Milestone(5, new ReferrerReward(RewardType.FreeProduct, 68m, ProductId: toy.Gid, ProductTitle: "Plush Toy"))],
            });
            Assert.That(ProgramWording.From((await h.Get<ProgramStore>().GetActiveAsync(EngineHarness.Shop)).Settings, "USD").PerReferral,
                Does.Contain("Bonus: a free Plush Toy when 5 friends have ordered"));
            for (var friend = 1; friend <= 5; friend++) await FriendOrdersAsync(h, friend);
            Assert.That(await h.PassHoldAndIssueAsync(), Is.EqualTo(6), "five $10 codes and the toy");
            var toyCode = h.RewardDiscounts().Single(d => d.ProductGids.Count > 0);
            Assert.That((toyCode.ProductGids.Single(), toyCode.Amount), Is.EqualTo((toy.Gid, (decimal?)68m)));
            Assert.That(await RewardCostAsync(h), Is.EqualTo(5 * 10m + 68m), "the free product at its price");
        }
    }

    private static async Task<EngineHarness> StartAsync(ProgramSettings? program)
    {
        var h = await EngineHarness.StartAsync(program);
        h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await h.EnrolJaneAsync();
        return h;
    }
}
