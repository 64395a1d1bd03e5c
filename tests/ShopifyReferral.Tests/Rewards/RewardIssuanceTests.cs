using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Issuance outcomes the happy path does not reach: store credit whose answer is lost, a shop that uninstalled,
/// Shopify refusing, a merchant's discount holding our code, and a clawback of a code already used.
/// </summary>
public class RewardIssuanceTests
{
    private const long OrderId = 5893217321195; // webhooks/orders/paid/with-code.json
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task StoreCreditProgramAsync(bool janeExists = true)
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { Reward = new(RewardType.StoreCredit, 15m) });
        if (janeExists) _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
    }

    private decimal JaneCredit() => _h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD");

    private dynamic Reward() => _h.Rewards().Single();

    [Test]
    public async Task StoreCredit_AnswerLostAfterShopifyCredited_NeverCreditedTwice()
    {
        await StoreCreditProgramAsync();
        _h.Store.Faults(EngineHarness.Shop).DropAfterCommitNext(1);
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0), "the answer never came");
        for (var i = 0; i < 3; i++) await _h.PassHoldAndIssueAsync(days: 1);

        Assert.That(JaneCredit(), Is.EqualTo(15m), "credited once: neither the client nor the issuer sent it again");
        Assert.That(_h.Store.StoreCreditTransactions(EngineHarness.Shop), Has.Count.EqualTo(1));
        Assert.That(((string)Reward().status, (string)Reward().last_error), Is.EqualTo(("failed",
            "The outcome of an earlier credit is unknown (the app stopped mid-call); check the customer's store credit before crediting again.")));
    }

    [Test]
    public async Task StoreCredit_RateLimitedBeforeRunning_RetriedLaterAndCreditedOnce()
    {
        await StoreCreditProgramAsync();
        _h.Store.Faults(EngineHarness.Shop).RateLimitNext(5, TimeSpan.FromMilliseconds(10)); // more than the client's 4 retries
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        Assert.That((string)Reward().status, Is.EqualTo("owed"), "a 429 ran nothing: safe to try again");

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(JaneCredit(), Is.EqualTo(15m));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("rewarded"));
    }

    [Test]
    public async Task StoreCredit_ShopifyRefuses_FailedWithShopifysMessage()
    {
        await StoreCreditProgramAsync(janeExists: false); // the sandbox has no such customer
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));
        await _h.PassHoldAndIssueAsync(days: 1);
        Assert.That((string)Reward().status, Is.EqualTo("failed"));
        Assert.That((string)Reward().last_error, Does.Contain("Owner does not exist."));
        Assert.That((long)Reward().attempts, Is.EqualTo(1), "userErrors are not retried");
        Assert.That(JaneCredit(), Is.Zero);
    }

    [Test]
    public async Task ShopUninstalled_RewardParkedWithoutBurningAttempts_IssuedAfterReinstall()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.DeliverAsync("app/uninstalled/default.json");
        for (var i = 0; i < 3; i++) Assert.That(await _h.PassHoldAndIssueAsync(days: 15), Is.EqualTo(0));
        Assert.That(((string)Reward().status, (long)Reward().attempts), Is.EqualTo(("owed", 0L)));
        Assert.That((string)Reward().last_error, Does.Contain("access token"));
        Assert.That(_h.RewardDiscounts(), Is.Empty);

        await _h.Get<ShopifyReferral.Shops.ShopInstaller>().InstallAsync(EngineHarness.Shop, _h.Store.CreateAuthorizationCode(EngineHarness.Shop), default);
        _h.Time.Advance(TimeSpan.FromHours(2));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task MerchantDiscountAlreadyHoldsTheCode_NotAdoptedAsTheReward()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        var referralId = _h.Referral(OrderId)!.Id;
        var code = RewardLedger.CodeFor(EngineHarness.Shop, $"{referralId}:referral");
        await _h.Get<IShopifyAdmin>().CreateCodeDiscountAsync(EngineHarness.Shop, new CodeDiscountSpec
        {
            Title = "Merchant's summer sale", Code = code, StartsAt = _h.Time.GetUtcNow(), Kind = DiscountKind.Percentage, Value = 0.5m,
        }, default);

        await _h.PassHoldAndIssueAsync();
        Assert.That((string)Reward().status, Is.EqualTo("failed"));
        Assert.That((string)Reward().last_error, Does.Contain("Merchant's summer sale"));
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("approved"), "not rewarded by someone else's discount");
    }

    [Test]
    public async Task RefundAfterTheRewardCodeWasUsed_RecordedAsLoss_CodeLeftAlone()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        var code = (string)Reward().code;

        // Jane spends her reward on a later order; the engine marks the reward redeemed from that order's webhooks.
        var spend = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
        {
            CustomerId = EngineHarness.JaneId, Email = "jane.doe@example.com", DiscountCode = code,
        }, _h.WebhookUrl);
        Assert.That(spend.All(d => d.Succeeded));
        await _h.ProcessAsync();
        Assert.That((string)Reward().status, Is.EqualTo("redeemed"));

        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("voided"));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.EqualTo(0), "a second run changes nothing");
        Assert.That((string)Reward().status, Is.EqualTo("lost"));
        Assert.That(_h.RewardDiscounts().Single().UsageCount, Is.EqualTo(1));
        Assert.That(_h.Store.Shop(EngineHarness.Shop).Requests.Count(r => r.Operation == nameof(AdminDocuments.DiscountCodeDeactivate)), Is.Zero);
    }
}
