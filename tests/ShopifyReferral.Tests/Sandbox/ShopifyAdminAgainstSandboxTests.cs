using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>
/// The app's real Shopify client (AddShopifyAdmin, Polly, pacing) against the running sandbox over HTTP,
/// with a token obtained from the sandbox's OAuth endpoint: each of the seven IShopifyAdmin calls.
/// </summary>
[Category(Infrastructure.TestProvider.NoDatabase)]
public partial class ShopifyAdminAgainstSandboxTests
{
    private const string Shop = "alpha.myshopify.com";
    private const string OtherShop = "beta.myshopify.com";
    private AdminOverSandbox _env = null!;

    private SandboxStore Store => _env.Store;
    private IShopifyAdmin Admin => _env.Admin;

    [SetUp]
    public async Task Start() => _env = await AdminOverSandbox.StartAsync();

    [TearDown]
    public async Task Stop() { if (_env is not null) await _env.DisposeAsync(); }

    private CodeDiscountSpec Spec(string code, DiscountKind kind = DiscountKind.Percentage, decimal value = 0.1m) => new()
    {
        Title = $"Referral {code}",
        Code = code,
        StartsAt = _env.Time.GetUtcNow().AddMinutes(-1),
        Kind = kind,
        Value = kind == DiscountKind.FreeShipping ? 0m : value,
        UsageLimit = 1,
        AppliesOncePerCustomer = true,
    };

    [Test]
    public async Task CreateCodeDiscount_Percentage_StoredWithSpecAndActive()
    {
        var customer = Store.AddCustomer(Shop, "friend@example.com");
        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10") with { CustomerGids = [customer.Gid] }, default);

        var stored = Store.Discounts(Shop).Single();
        Assert.That(created.DiscountGid, Is.EqualTo(stored.Gid).And.StartWith("gid://shopify/DiscountCodeNode/"));
        Assert.That(created.Status, Is.EqualTo("ACTIVE"));
        Assert.That(stored.Codes, Is.EqualTo(new[] { "FRIEND-10" }));
        Assert.That(stored.Percentage, Is.EqualTo(0.1m));
        Assert.That(stored.UsageLimit, Is.EqualTo(1));
        Assert.That(stored.AppliesOncePerCustomer, Is.True);
        Assert.That(stored.CustomerGids, Is.EqualTo(new[] { customer.Gid }));
    }

    [Test]
    public async Task CreateCodeDiscount_FixedAmountAndFreeShipping_FoundWithTheirTypes()
    {
        await Admin.CreateCodeDiscountAsync(Shop, Spec("FIVE-OFF", DiscountKind.FixedAmount, 5m) with { MinimumSubtotal = 20m }, default);
        await Admin.CreateCodeDiscountAsync(Shop, Spec("SHIP-FREE", DiscountKind.FreeShipping), default);

        var fixedAmount = await Admin.FindDiscountByCodeAsync(Shop, "FIVE-OFF", default);
        var shipping = await Admin.FindDiscountByCodeAsync(Shop, "SHIP-FREE", default);
        Assert.That(fixedAmount?.Type, Is.EqualTo("DiscountCodeBasic"));
        Assert.That(shipping?.Type, Is.EqualTo("DiscountCodeFreeShipping"));
        var stored = Store.Discounts(Shop).Single(d => d.Codes.Contains("FIVE-OFF"));
        Assert.That((stored.Amount, stored.MinimumSubtotal), Is.EqualTo(((decimal?)5m, (decimal?)20m)));
    }

    [Test]
    public async Task CreateCodeDiscount_CodeTakenInOtherCase_ThrowsUserErrorTakenAndCreatesNothing()
    {
        await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);

        var error = Assert.ThrowsAsync<ShopifyUserErrorException>(() => Admin.CreateCodeDiscountAsync(Shop, Spec("friend-10"), default));

        var taken = error!.UserErrors.Single();
        Assert.That(taken.Code, Is.EqualTo("TAKEN"));
        Assert.That(taken.Field, Is.EqualTo(new[] { "basicCodeDiscount", "code" }));
        Assert.That(Store.Discounts(Shop), Has.Count.EqualTo(1));
        // A userError is permanent: the client must not have retried it.
        Assert.That(Store.Shop(Shop).Requests.Count(r => r.Operation == "DiscountCodeBasicCreate"), Is.EqualTo(2));
    }

    [Test]
    public async Task CreateCodeDiscount_SameCodeInOtherShop_IsAllowed()
    {
        await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);
        await Admin.CreateCodeDiscountAsync(OtherShop, Spec("FRIEND-10"), default);

        Assert.That(Store.Discounts(OtherShop), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task FindDiscountByCode_OtherCaseAndUnknown_FindsOrReturnsNull()
    {
        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);

        var found = await Admin.FindDiscountByCodeAsync(Shop, "friend-10", default);
        Assert.That(found?.DiscountGid, Is.EqualTo(created.DiscountGid));
        Assert.That(found?.Status, Is.EqualTo("ACTIVE"));
        Assert.That(await Admin.FindDiscountByCodeAsync(Shop, "NOPE", default), Is.Null);
        Assert.That(await Admin.FindDiscountByCodeAsync(OtherShop, "FRIEND-10", default), Is.Null);
    }

    [Test]
    public async Task AddRedeemCodes_300Codes_SentInTwoBatchesAndAllFindable()
    {
        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("BASE"), default);
        var codes = Enumerable.Range(1, 300).Select(i => $"REF-{i:000}").ToList();

        await Admin.AddRedeemCodesAsync(Shop, created.DiscountGid, codes, default);

        Assert.That(Store.Shop(Shop).Requests.Count(r => r.Operation == "DiscountRedeemCodeBulkAdd"), Is.EqualTo(2));
        Assert.That(Store.Discounts(Shop).Single().Codes, Has.Count.EqualTo(301));
        Assert.That((await Admin.FindDiscountByCodeAsync(Shop, "ref-300", default))?.DiscountGid, Is.EqualTo(created.DiscountGid));
    }

    [Test]
    public async Task DeactivateDiscount_Active_BecomesExpired()
    {
        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);

        await Admin.DeactivateDiscountAsync(Shop, created.DiscountGid, default);

        Assert.That(Store.Discounts(Shop).Single().Status, Is.EqualTo("EXPIRED"));
        Assert.That((await Admin.FindDiscountByCodeAsync(Shop, "FRIEND-10", default))?.Status, Is.EqualTo("EXPIRED"));
    }

    [Test]
    public async Task ActivateDiscount_Deactivated_ActiveAgainAndAnswersItsStatus()
    {
        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-11"), default);
        var off = await Admin.DeactivateDiscountAsync(Shop, created.DiscountGid, default);

        var on = await Admin.ActivateDiscountAsync(Shop, created.DiscountGid, default);

        Assert.That((off.Status, on.Status), Is.EqualTo(("EXPIRED", "ACTIVE")));
        Assert.That(Store.Discounts(Shop).Single().Status, Is.EqualTo("ACTIVE"));
        Assert.That((await Admin.ActivateDiscountAsync(Shop, created.DiscountGid, default)).Status, Is.EqualTo("ACTIVE"), "twice changes nothing");
    }

    [Test]
    public async Task CreditStoreAccount_Twice_CreatesAccountOnceAndAccumulates()
    {
        var customer = Store.AddCustomer(Shop);
        var expires = _env.Time.GetUtcNow().AddDays(30);
        var first = await Admin.CreditStoreAccountAsync(Shop, customer.Gid, 5m, "USD", expires, default);
        var second = await Admin.CreditStoreAccountAsync(Shop, customer.Gid, 2.5m, "usd", null, default);

        Assert.That((first.Amount, first.BalanceAfter, first.Currency), Is.EqualTo((5m, 5m, "USD")));
        Assert.That(first.ExpiresAt, Is.EqualTo(expires).Within(TimeSpan.FromSeconds(1)));
        Assert.That(second.BalanceAfter, Is.EqualTo(7.5m));
        Assert.That(second.AccountId, Is.EqualTo(first.AccountId).And.StartWith("gid://shopify/StoreCreditAccount/"));
        Assert.That(Store.StoreCreditBalance(Shop, customer.Id, "USD"), Is.EqualTo(7.5m));
    }

    [Test]
    public void CreditStoreAccount_UnknownCustomer_ThrowsOwnerNotFound()
    {
        var error = Assert.ThrowsAsync<ShopifyUserErrorException>(() =>
            Admin.CreditStoreAccountAsync(Shop, "gid://shopify/Customer/404", 5m, "USD", null, default));

        Assert.That(error!.UserErrors.Single().Code, Is.EqualTo("OWNER_NOT_FOUND"));
        Assert.That(Store.StoreCreditAccounts(Shop), Is.Empty);
    }

    [Test]
    public async Task GetCustomerOrderCount_KnownAfterOrderAndUnknown()
    {
        var customer = Store.AddCustomer(Shop, numberOfOrders: 2);
        Store.RecordOrder(Shop, new SandboxOrder { CustomerId = customer.Id });

        Assert.That(await Admin.GetCustomerOrderCountAsync(Shop, customer.Gid, default), Is.EqualTo(3));
        Assert.That(await Admin.GetCustomerOrderCountAsync(Shop, "gid://shopify/Customer/404", default), Is.Null);
    }
}
