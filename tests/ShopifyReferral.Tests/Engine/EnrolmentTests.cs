using ShopifyReferral.Referrals;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Engine;

/// <summary>Enrolment never waits on Shopify: the referrer is stored first and the code goes live in the background.</summary>
public class EnrolmentTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private ReferrerService Referrers => _h.Get<ReferrerService>();

    [Test]
    public async Task Enrol_ShopifyDown_StoredPendingThenLiveOnceShopifyAnswers()
    {
        _h.Store.Faults(EngineHarness.Shop).FailNext(100, 503);
        var enrolled = await Referrers.EnrolAsync(EngineHarness.Shop, 501, "maria.garcia@example.com", "María", "García");
        Assert.That((enrolled.CodeStatus, enrolled.Code), Is.EqualTo(("pending", enrolled.Code)));
        Assert.That(enrolled.Code, Does.Match("^MARIA-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"), "accents folded, no look-alikes");
        Assert.That(enrolled.ShareLink, Is.EqualTo($"https://{EngineHarness.Shop}/discount/{enrolled.Code}?redirect=/"));

        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        Assert.That((await Referrers.FindAsync(EngineHarness.Shop, 501))!.CodeStatus, Is.EqualTo("pending"), "a 503 is retried later, not failed");
        Assert.That(_h.Store.Discounts(EngineHarness.Shop), Is.Empty);

        _h.Store.Faults(EngineHarness.Shop).Clear();
        Assert.That(await _h.Get<ReferrerCodeSync>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That((await Referrers.FindAsync(EngineHarness.Shop, 501))!.CodeStatus, Is.EqualTo("live"));
        Assert.That(_h.Store.Discounts(EngineHarness.Shop).Single().Codes, Is.EqualTo(new[] { enrolled.Code }));
        Assert.That(await _h.Get<ReferrerCodeSync>().RunOnceAsync(default), Is.EqualTo(0), "nothing left to do");
    }

    [Test]
    public async Task Sync_AnswerLostAfterShopifyCreatedTheCode_FindsItInsteadOfCreatingASecond()
    {
        await Referrers.EnrolAsync(EngineHarness.Shop, 502, "li.wei@example.com", "Li", "Wei");
        _h.Store.Faults(EngineHarness.Shop).DropAfterCommitNext(1);
        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        await _h.Get<ReferrerCodeSync>().RunOnceAsync(default);
        Assert.That((await Referrers.FindAsync(EngineHarness.Shop, 502))!.CodeStatus, Is.EqualTo("live"));
        Assert.That(_h.Store.Discounts(EngineHarness.Shop), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Sync_CodeAlreadyAMerchantDiscount_FailsNamingTheClash_NeverAdoptsIt()
    {
        await _h.Get<IShopifyAdmin>().CreateCodeDiscountAsync(EngineHarness.Shop, new CodeDiscountSpec
        {
            Title = "Staff discount", Code = "SAMREF-7Q2K", StartsAt = _h.Time.GetUtcNow(), Kind = DiscountKind.Percentage, Value = 0.5m,
        }, default);
        await _h.EnrolJaneAsync();
        var jane = (await Referrers.FindAsync(EngineHarness.Shop, EngineHarness.JaneId))!;
        Assert.That(jane.CodeStatus, Is.EqualTo("failed"));
        Assert.That(jane.CodeError, Does.Contain("already belongs to another discount").And.Contain("Staff discount"));
    }

    [Test]
    public async Task AutoEnrol_PayingCustomerGetsACodeOnce_OnlyWhenTheProgramSaysSo()
    {
        await _h.DeliverAsync("orders/paid/without-code.json");
        Assert.That(await Referrers.FindAsync(EngineHarness.Shop, 207119552), Is.Null, "off by default");

        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { AutoEnrolPayingCustomers = true });
        await _h.DeliverAsync("orders/paid/without-code.json");
        await _h.DeliverAsync("orders/paid/without-code.json");
        var priya = await Referrers.FindAsync(EngineHarness.Shop, 207119552);
        Assert.That(priya!.Code, Does.Match("^PRIYA-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"));
        Assert.That(priya.Email, Is.EqualTo("priya.nair@example.com"));
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(1));

        await _h.DeliverAsync("orders/paid/test-order.json");
        await _h.DeliverAsync("orders/create/with-code.json"); // authorized, not paid yet
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM referrers"), Is.EqualTo(1), "test orders and unpaid orders enrol nobody");
    }

    [Test]
    public async Task Enrol_ManyCustomersOneName_EveryCodeUniqueInTheShop()
    {
        var codes = new List<string>();
        for (var id = 1000; id < 1040; id++) codes.Add((await Referrers.EnrolAsync(EngineHarness.Shop, id, null, "Jo", null)).Code);
        Assert.That(codes, Is.Unique);
        Assert.That(codes, Has.All.Match("^JO-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"));
    }
}
