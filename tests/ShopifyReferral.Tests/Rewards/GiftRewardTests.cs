using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Sandbox.State;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Free-product and gift card rewards against the sandbox store: each is made once through lost answers and crashes,
/// a product that can no longer be bought fails the reward in words, and a refund claws each back.
/// </summary>
public class GiftRewardTests
{
    private const long OrderId = 5893217321195; // webhooks/orders/paid/with-code.json
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private dynamic Reward() => _h.Rewards().Single();

    private IReadOnlyList<SandboxGiftCard> Cards() => _h.Store.GiftCards(EngineHarness.Shop);

    private async Task<SandboxProduct> FreeProductProgramAsync()
    {
        var toy = _h.Store.AddProduct(EngineHarness.Shop, "Plush Toy", 68m);
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            Reward = new(RewardType.FreeProduct, 0m, ProductId: toy.Gid, ProductTitle: "Plush Toy"),
        });
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        return toy;
    }

    private async Task GiftCardProgramAsync()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { Reward = new(RewardType.GiftCard, 50m, ExpiresInDays: 365) });
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
    }

    [Test]
    public async Task FreeProduct_Issued_OneCodeForThatProductAtItsPrice_PriceRecorded()
    {
        var toy = await FreeProductProgramAsync();
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));

        var discount = _h.RewardDiscounts().Single();
        Assert.That((discount.ProductGids.Single(), discount.Amount, discount.UsageLimit), Is.EqualTo((toy.Gid, (decimal?)68m, (int?)1)),
            "one item of the product, off once");
        Assert.That(discount.CustomerGids, Is.EqualTo(new[] { $"gid://shopify/Customer/{EngineHarness.JaneId}" }));
        Assert.That(((string)Reward().status, (long)Reward().amount_minor, (string)Reward().product_title), Is.EqualTo(("issued", 6800L, "Plush Toy")));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("rewarded"));
    }

    [Test]
    public async Task FreeProduct_CrashAfterShopifyMadeTheCode_RetryAdoptsIt()
    {
        await FreeProductProgramAsync();
        var issuer = _h.Get<RewardIssuer>();
        issuer.AfterShopifyCall = _ => throw new IOException("process died before recording");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        issuer.AfterShopifyCall = null;
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await issuer.RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
        Assert.That((string)Reward().status, Is.EqualTo("issued"));
    }

    [TestCase("deleted", "no longer exists in Shopify (it was deleted)")]
    [TestCase("ARCHIVED", "is archived in Shopify, so nobody can buy it")]
    [TestCase("DRAFT", "is draft in Shopify, so nobody can buy it")]
    [TestCase("unpublished", "is not published to the online store")]
    public async Task FreeProduct_ProductNoLongerSold_FailsWithWhy_NoCode(string change, string why)
    {
        var toy = await FreeProductProgramAsync();
        if (change == "deleted") _h.Store.DeleteProduct(EngineHarness.Shop, toy.Id);
        else if (change == "unpublished") _h.Store.SetProductStatus(EngineHarness.Shop, toy.Id, "ACTIVE", published: false);
        else _h.Store.SetProductStatus(EngineHarness.Shop, toy.Id, change);

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        Assert.That((string)Reward().status, Is.EqualTo("failed"), "never a silent skip");
        Assert.That((string)Reward().last_error, Does.Contain("\"Plush Toy\"").And.Contain(why).And.Contain("nothing was issued"));
        Assert.That((long)Reward().attempts, Is.EqualTo(1), "not retried: only the merchant can fix it");
        Assert.That(_h.RewardDiscounts(), Is.Empty);
    }

    [Test]
    public async Task FreeProduct_RefundedBeforeUse_CodeDeactivated()
    {
        await FreeProductProgramAsync();
        await _h.PassHoldAndIssueAsync();
        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That((string)Reward().status, Is.EqualTo("clawed_back"));
        Assert.That(_h.RewardDiscounts().Single().Status, Is.EqualTo("EXPIRED"));
    }

    [Test]
    public async Task GiftCard_Issued_OneCardForTheReferrer_WithExpiryAndANoteNamingTheReferral()
    {
        await GiftCardProgramAsync();
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));

        var card = Cards().Single();
        var referralId = _h.Referral(OrderId)!.Id;
        Assert.That((card.InitialValue, card.Currency, card.CustomerId, card.Code), Is.EqualTo((50m, "USD", (long?)EngineHarness.JaneId, (string)Reward().code)));
        Assert.That(card.Note, Does.Contain($"referral {referralId}").And.Contain($"ShopifyReferral reward {referralId}:referral"));
        Assert.That(card.ExpiresOn, Is.EqualTo(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds((long)Reward().expires_at).UtcDateTime)));
        Assert.That(((string)Reward().status, (string)Reward().shopify_gid), Is.EqualTo(("issued", card.Gid)));
        Assert.That(_h.RewardDiscounts(), Is.Empty, "a gift card is no discount code");
    }

    [Test]
    public async Task GiftCard_AnswerLostAfterShopifyMadeIt_RetryFindsIt_NeverASecondCard()
    {
        await GiftCardProgramAsync();
        _h.Store.Faults(EngineHarness.Shop).DropAfterCommitNext(1);
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0), "the answer never came");
        Assert.That(((string)Reward().status, (string)Reward().last_error), Is.EqualTo(("owed", IssueGate.GiftCardInFlight)),
            "the marker says an attempt may have landed");
        for (var i = 0; i < 3; i++) await _h.PassHoldAndIssueAsync(days: 1);

        Assert.That(Cards(), Has.Count.EqualTo(1));
        Assert.That(((string)Reward().status, (string)Reward().shopify_gid), Is.EqualTo(("issued", Cards()[0].Gid)));
    }

    [Test]
    public async Task GiftCard_CrashAfterShopifyMadeIt_RetryFindsIt_NeverASecondCard()
    {
        await GiftCardProgramAsync();
        var issuer = _h.Get<RewardIssuer>();
        issuer.AfterShopifyCall = _ => throw new IOException("process died before recording");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        issuer.AfterShopifyCall = null;
        for (var i = 0; i < 3; i++) await _h.PassHoldAndIssueAsync(days: 1);
        Assert.That(Cards(), Has.Count.EqualTo(1));
        Assert.That((string)Reward().status, Is.EqualTo("issued"));
        Assert.That(_h.Store.Shop(EngineHarness.Shop).Requests.Count(r => r.Operation == nameof(AdminDocuments.GiftCardCreate)), Is.EqualTo(1),
            "the retry found the card by its code before creating");
    }

    [Test]
    public async Task GiftCard_ShopDidNotGrantTheScope_FailsNamingWhy()
    {
        await _h.Get<ShopifyReferral.Shops.ShopInstaller>().InstallAsync(EngineHarness.Shop,
            _h.Store.CreateAuthorizationCode(EngineHarness.Shop, "read_orders,read_customers,write_customers,read_discounts,write_discounts"), default);
        await GiftCardProgramAsync();
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        Assert.That((string)Reward().status, Is.EqualTo("failed"));
        Assert.That((string)Reward().last_error, Does.Contain("read_gift_cards").And.Contain("re-install"));
        Assert.That(Cards(), Is.Empty);
    }

    [Test]
    public async Task GiftCard_RefundedBeforeUse_Deactivated_ClawedBack()
    {
        await GiftCardProgramAsync();
        await _h.PassHoldAndIssueAsync();
        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(0), "a second run changes nothing");
        Assert.That(((string)Reward().status, Cards().Single().Enabled), Is.EqualTo(("clawed_back", false)));
    }

    [TestCase(50, "lost", "was spent")]
    [TestCase(20, "lost", "30.00 USD left, after 20.00 USD of it was spent")]
    public async Task GiftCard_RefundedAfterSpending_RecordedAsLoss(decimal spent, string status, string why)
    {
        await GiftCardProgramAsync();
        await _h.PassHoldAndIssueAsync();
        Assert.That(_h.Store.SpendGiftCard(EngineHarness.Shop, (string)Reward().code, spent), Is.True);
        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That((string)Reward().status, Is.EqualTo(status));
        Assert.That((string)Reward().last_error, Does.Contain(why));
        Assert.That(Cards().Single().Enabled, Is.EqualTo(spent >= 50), "a card with money left is deactivated; an empty one is left as it is");
    }
}
