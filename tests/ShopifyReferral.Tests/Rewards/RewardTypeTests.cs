using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Sandbox.State;
using ShopifyReferral.Storefront;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Every reward type and friend offer is handled on purpose: each value of the enums has its wording and its
/// Shopify object (a table per enum that must list every value), and a value the code does not know fails loudly
/// instead of falling back to free shipping or store credit.
/// </summary>
public class RewardTypeTests
{
    private EngineHarness _h = null!;
    private SandboxProduct? _toy;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public void Describe_EveryRewardType_ItsOwnWords()
    {
        var expected = new Dictionary<RewardType, string>
        {
            [RewardType.Percentage] = "10% off your next order",
            [RewardType.FixedAmount] = "10 USD off your next order",
            [RewardType.FreeShipping] = "free shipping on your next order",
            [RewardType.StoreCredit] = "10 USD in store credit",
            [RewardType.FreeProduct] = "a free product",
            [RewardType.GiftCard] = "a 10 USD gift card",
        };
        Assert.That(expected.Keys, Is.EquivalentTo(Enum.GetValues<RewardType>()), "a new reward type needs its wording here");
        foreach (var type in Enum.GetValues<RewardType>())
            Assert.That(ProgramWording.Describe(type, 10m, "USD"), Is.EqualTo(expected[type]), type.ToString());
    }

    [Test]
    public void Wording_EveryRewardType_RedeemMatchesHowItIsIssued()
    {
        foreach (var type in Enum.GetValues<RewardType>())
        {
            var redeem = ProgramWording.From(new ProgramSettings { Reward = new(type, 10m) }, "USD").Redeem;
            Assert.That(redeem, type switch
            {
                RewardType.StoreCredit => Does.Contain("store credit balance"),
                RewardType.GiftCard => Does.Contain("gift card").And.Contain("pay with it"),
                RewardType.FreeProduct => Does.Contain("single-use code").And.Contain("one is free"),
                _ => Does.Contain("single-use discount code"),
            }, type.ToString());
        }
    }

    [Test]
    public void Wording_EveryFriendOffer_ItsOwnWords()
    {
        var expected = new Dictionary<OfferType, string>
        {
            [OfferType.Percentage] = "Get 10% off",
            [OfferType.FixedAmount] = "Get 10 USD off",
            [OfferType.FreeShipping] = "Get free shipping",
            [OfferType.FreeProduct] = "Get a free product",
        };
        Assert.That(expected.Keys, Is.EquivalentTo(Enum.GetValues<OfferType>()), "a new friend offer needs its wording here");
        foreach (var type in Enum.GetValues<OfferType>())
            Assert.That(ProgramWording.From(new ProgramSettings { FriendOffer = new(type, 10m) }, "USD").Offer, Is.EqualTo(expected[type]), type.ToString());
    }

    [Test]
    public void Wording_UndefinedTypes_Throw()
    {
        Assert.That(() => ProgramWording.Describe((RewardType)99, 10m, "USD"), Throws.Exception, "not worded as store credit");
        Assert.That(() => ProgramWording.From(new ProgramSettings { FriendOffer = new((OfferType)99, 10m) }, "USD"), Throws.Exception, "not worded as free shipping");
        Assert.That(() => ProgramSettings.ToKind((OfferType)99), Throws.Exception, "not created as free shipping");
    }

    [Test]
    public async Task Issue_EveryRewardType_BecomesItsOwnShopifyObject()
    {
        var toy = _h.Store.AddProduct(EngineHarness.Shop, "Plush Toy", 68m);
        var checks = new Dictionary<RewardType, (decimal Value, Action<SandboxDiscountView?> Check)>
        {
            [RewardType.FreeProduct] = (0m, d => Assert.That((d?.Type, d?.Amount, d?.ProductGids.Single()), Is.EqualTo(("DiscountCodeBasic", (decimal?)68m, toy.Gid)))),
            [RewardType.GiftCard] = (25m, d =>
            {
                Assert.That(d, Is.Null, "no discount code");
                var card = _h.Store.GiftCards(EngineHarness.Shop).Single();
                Assert.That((card.InitialValue, card.Currency, card.CustomerId), Is.EqualTo((25m, "USD", (long?)EngineHarness.JaneId)));
            }
            ),
            [RewardType.Percentage] = (15m, d => Assert.That((d?.Type, d?.Percentage), Is.EqualTo(("DiscountCodeBasic", (decimal?)0.15m)))),
            [RewardType.FixedAmount] = (10m, d => Assert.That((d?.Type, d?.Amount), Is.EqualTo(("DiscountCodeBasic", (decimal?)10m)))),
            [RewardType.FreeShipping] = (0m, d => Assert.That(d?.Type, Is.EqualTo("DiscountCodeFreeShipping"))),
            [RewardType.StoreCredit] = (5m, d =>
            {
                Assert.That(d, Is.Null, "no code");
                Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD"), Is.EqualTo(5m));
            }
            ),
        };
        Assert.That(checks.Keys, Is.EquivalentTo(Enum.GetValues<RewardType>()), "a new reward type needs its Shopify object checked here");
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        var friend = 0;
        foreach (var (type, (value, _)) in checks)
        {
            await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
            {
                Reward = new(type, value, ProductId: type == RewardType.FreeProduct ? toy.Gid : null, ProductTitle: type == RewardType.FreeProduct ? "Plush Toy" : null),
            });
            friend++;
            await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 7000 + friend, Email = $"friend{friend}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{friend}",
            }, _h.WebhookUrl);
            await _h.ProcessAsync();
        }
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(checks.Count));

        var discounts = _h.RewardDiscounts();
        foreach (var reward in _h.Rewards())
        {
            var type = Enum.GetValues<RewardType>().Single(t => ProgramStore.EnumName(t) == (string)reward.reward_type);
            checks[type].Check(discounts.SingleOrDefault(d => d.Codes.Contains((string?)reward.code)));
        }
    }

    [Test]
    public async Task Issue_RewardTypeTheCodeDoesNotKnow_FailsNamingIt_CreatesNothing()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        _h.Time.Advance(TimeSpan.FromDays(15));
        await _h.Get<HoldSweeper>().RunOnceAsync(default);
        await _h.Get<RewardLedger>().OweApprovedAsync(default);
        using (var db = _h.App.OpenDb())
            db.Execute("UPDATE rewards SET reward_type = 'loyalty_points'"); // e.g. written by a newer version of the app

        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.Zero);
        Assert.That(_h.RewardDiscounts(), Is.Empty, "no free-shipping code in its place");
        var reward = _h.Rewards().Single();
        Assert.That((string)reward.status, Is.EqualTo("failed"));
        Assert.That((string)reward.last_error, Does.Contain("loyalty_points"));
    }

    [Test]
    public async Task MakeLive_FriendsFreeProductDeleted_CodeFailsSayingSo_NoDiscount()
    {
        var toy = _h.Store.AddProduct(EngineHarness.Shop, "Plush Toy", 68m);
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            FriendOffer = new(OfferType.FreeProduct, 0m, ProductId: toy.Gid, ProductTitle: "Plush Toy"),
        });
        _h.Store.DeleteProduct(EngineHarness.Shop, toy.Id);
        var referrer = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 8100, null, "Offer", null);
        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        using var db = _h.App.OpenDb();
        var (status, error) = db.QuerySingle<(string, string)>("SELECT code_status, code_error FROM referrers WHERE id = @id", new { id = referrer.Id });
        Assert.That((status, error), Is.EqualTo(("failed", $"The friend offer's free product \"Plush Toy\" ({toy.Gid}) no longer exists in Shopify (it was deleted); no code was made.")));
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Where(d => d.Codes.Contains(referrer.Code)), Is.Empty);
    }

    [Test]
    public async Task MakeLive_EveryFriendOffer_BecomesItsOwnShopifyDiscount()
    {
        var checks = new Dictionary<OfferType, Action<SandboxDiscountView>>
        {
            [OfferType.Percentage] = d => Assert.That((d.Type, d.Percentage), Is.EqualTo(("DiscountCodeBasic", (decimal?)0.1m))),
            [OfferType.FixedAmount] = d => Assert.That((d.Type, d.Amount), Is.EqualTo(("DiscountCodeBasic", (decimal?)10m))),
            [OfferType.FreeShipping] = d => Assert.That(d.Type, Is.EqualTo("DiscountCodeFreeShipping")),
            [OfferType.FreeProduct] = d => Assert.That((d.Type, d.Amount, d.ProductGids.Single()), Is.EqualTo(("DiscountCodeBasic", (decimal?)68m, _toy!.Gid))),
        };
        Assert.That(checks.Keys, Is.EquivalentTo(Enum.GetValues<OfferType>()), "a new friend offer needs its Shopify discount checked here");
        _toy = _h.Store.AddProduct(EngineHarness.Shop, "Plush Toy", 68m);
        var customer = 8000L;
        foreach (var (type, check) in checks)
        {
            await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
            {
                FriendOffer = new(type, 10m, ProductId: type == OfferType.FreeProduct ? _toy.Gid : null),
            });
            var referrer = await _h.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, ++customer, null, "Offer", null);
            await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
            check(_h.Store.Discounts(EngineHarness.Shop).Single(d => d.Codes.Contains(referrer.Code)));
        }
    }
}
