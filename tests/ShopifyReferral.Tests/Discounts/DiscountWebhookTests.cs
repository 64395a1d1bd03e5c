using System.Net;
using Dapper;
using ShopifyReferral.Discounts;
using ShopifyReferral.Extensions;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Discounts;

/// <summary>
/// A merchant edits or deletes, in the Shopify admin, codes the app made: the sandbox sends Shopify's discounts/*
/// webhooks (signed, real HTTP), the app records each change once and stops offering a deleted referrer code.
/// </summary>
public class DiscountWebhookTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private string JaneGid()
    {
        using var db = _h.App.OpenDb();
        return db.ExecuteScalar<string>("SELECT code_gid FROM referrers WHERE customer_id = @id", new { id = EngineHarness.JaneId })!;
    }

    private string JaneCodeStatus()
    {
        using var db = _h.App.OpenDb();
        return db.ExecuteScalar<string>("SELECT code_status FROM referrers WHERE customer_id = @id", new { id = EngineHarness.JaneId })!;
    }

    private int Changes() { using var db = _h.App.OpenDb(); return db.ExecuteScalar<int>("SELECT COUNT(*) FROM discount_changes"); }

    [Test]
    public async Task ReferrerCodeDeleted_RecordedOnce_NoLongerOffered()
    {
        await _h.EnrolJaneAsync();
        Assert.That(_h.Store.WebhookSubscriptions(EngineHarness.Shop).Select(s => s.Topic), Does.Contain("DISCOUNTS_DELETE"));
        var delivery = await _h.Store.DeleteDiscountAsync(EngineHarness.Shop, JaneGid(), _h.WebhookUrl);
        Assert.That(delivery!.StatusCode, Is.EqualTo(200));
        await _h.ProcessAsync();
        Assert.That(JaneCodeStatus(), Is.EqualTo(DiscountChangeHandler.Deleted));

        // Shopify delivers at least once: the same delivery again records nothing more.
        await _h.Store.RedeliverAsync(delivery);
        await _h.ProcessAsync();
        Assert.That(Changes(), Is.EqualTo(1));

        var (status, body) = await _h.ApiAsync(HttpMethod.Get, "/api/discounts/changes");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var change = body.EnumerateArray().Single();
        Assert.That((change.GetProperty("topic").GetString(), change.GetProperty("code").GetString(), change.GetProperty("owner").GetString()),
            Is.EqualTo(("discounts/delete", "SAMREF-7Q2K", "referrer")));

        // The share link no longer sends friends to a discount that applies nothing; the account page offers no code.
        var click = await _h.Http.GetAsync("/r/SAMREF-7Q2K");
        Assert.That(click.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var account = await _h.Get<ReferrerAccount>().AnswerAsync(EngineHarness.Shop, EngineHarness.JaneId, default);
        Assert.That((account.Code, account.CodeRemoved, account.ShareUrl, account.Channels!.Count), Is.EqualTo(((string?)null, true, (string?)null, 0)));
    }

    [Test]
    public async Task RedeemCodeRemoved_MarksTheReferrerCodeDeleted()
    {
        await _h.EnrolJaneAsync();
        var delivery = await _h.Store.RemoveRedeemCodeAsync(EngineHarness.Shop, JaneGid(), "samref-7q2k", _h.WebhookUrl);
        Assert.That(delivery!.StatusCode, Is.EqualTo(200));
        Assert.That(System.Text.Encoding.UTF8.GetString(delivery.Body!), Does.Contain("\"redeem_code\":{\"id\":\"gid://shopify/DiscountRedeemCode/"));
        await _h.ProcessAsync();
        Assert.That(JaneCodeStatus(), Is.EqualTo(DiscountChangeHandler.Deleted));
    }

    [Test]
    public async Task RewardCodeEdited_RecordedWithTheNewTitle_StillLive()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        var reward = _h.Rewards().Single();
        await _h.Store.EditDiscountAsync(EngineHarness.Shop, (string)reward.shopify_gid, "Jane's thank-you (renamed)", _h.WebhookUrl);
        await _h.ProcessAsync();

        var (_, body) = await _h.ApiAsync(HttpMethod.Get, "/api/discounts/changes");
        var change = body.EnumerateArray().Single();
        Assert.That((change.GetProperty("topic").GetString(), change.GetProperty("owner").GetString(), change.GetProperty("ownerId").GetInt64()),
            Is.EqualTo(("discounts/update", "reward", (long)reward.id)));
        Assert.That(change.GetProperty("detail").GetString(), Does.Contain("Jane's thank-you (renamed)").And.Contain("ACTIVE"));
        Assert.That(JaneCodeStatus(), Is.EqualTo("live"), "an edit is recorded, never treated as a deletion");
    }

    [Test]
    public async Task SomeoneElsesDiscount_Skipped()
    {
        var other = await _h.Get<ShopifyReferral.Shopify.IShopifyAdmin>().CreateCodeDiscountAsync(EngineHarness.Shop, new ShopifyReferral.Shopify.CodeDiscountSpec
        {
            Title = "Merchant's sale", Code = "SALE10", StartsAt = _h.Time.GetUtcNow(), Kind = ShopifyReferral.Shopify.DiscountKind.Percentage, Value = 0.1m,
        }, default);
        await _h.Store.DeleteDiscountAsync(EngineHarness.Shop, other.DiscountGid, _h.WebhookUrl);
        await _h.ProcessAsync();
        Assert.That(Changes(), Is.Zero);
        using var db = _h.App.OpenDb();
        Assert.That(db.ExecuteScalar<string>("SELECT status FROM webhook_inbox WHERE topic = 'discounts/delete'"), Is.EqualTo("skipped"));
    }

    [Test]
    public async Task UsageCheck_ListsCodesUsedMoreThanRecorded()
    {
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json"); // one referral recorded (the sandbox did not see this checkout)
        for (var i = 0; i < 3; i++) // three checkouts with the code whose webhooks never arrived
            _h.Store.RecordOrder(EngineHarness.Shop, new SandboxOrder { Email = $"missed{i}@example.com", DiscountCode = "SAMREF-7Q2K" });

        var ran = await _h.Get<CodeUsageCheck>().RunAsync(new ShopifyReferral.Jobs.Job(0, CodeUsageCheck.JobKind, "*", "", 1, 0, "test"), default);
        Assert.That(ran.RunAgainAt, Is.EqualTo(_h.Time.GetUtcNow().AddDays(1)), "daily");
        var (status, body) = await _h.ApiAsync(HttpMethod.Get, "/api/discounts/usage");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var row = body.EnumerateArray().Single();
        Assert.That((row.GetProperty("code").GetString(), row.GetProperty("shopifyUses").GetInt64(), row.GetProperty("referrals").GetInt64(),
            row.GetProperty("difference").GetInt64()), Is.EqualTo(("SAMREF-7Q2K", 3L, 1L, 2L)));
    }
}
