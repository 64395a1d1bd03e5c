using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// A refunded referral's store credit is debited back through the sandbox's storeCreditAccountDebit: all of it when
/// unspent, the balance when partly spent (the rest a loss or a debt), never another currency's account, never twice.
/// </summary>
public class StoreCreditClawbackTests
{
    private const long OrderId = 5893217321195; // webhooks/orders/paid/with-code.json
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await EngineHarness.StartAsync(sandbox: o => o.PresentmentCurrencies = ["CAD"]);

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task CreditedAsync(SpentCredit spent = SpentCredit.Loss)
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings { Reward = new(RewardType.StoreCredit, 15m), SpentCredit = spent });
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        Assert.That(Balance(), Is.EqualTo(15m));
    }

    private async Task RefundAndClawBackAsync()
    {
        await _h.DeliverAsync("refunds/create/full.json");
        Assert.That(_h.Referral(OrderId)!.Status, Is.EqualTo("voided"));
        await _h.Get<Clawback>().RunOnceAsync(default);
    }

    private decimal Balance(string currency = "USD") => _h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, currency);

    private int AppDebits() => _h.Store.StoreCreditTransactions(EngineHarness.Shop).Count(t => t.IsDebit && t.Event == "ADJUSTMENT");

    private dynamic Reward() => _h.Rewards().Single();

    private dynamic Outcome()
    {
        using var db = _h.App.OpenDb();
        return db.QuerySingle("SELECT * FROM store_credit_clawbacks");
    }

    [Test]
    public async Task Unspent_AllDebitedBack_Once()
    {
        await CreditedAsync();
        await RefundAndClawBackAsync();
        Assert.That(await _h.Get<Clawback>().RunOnceAsync(default), Is.Zero, "a second run changes nothing");

        Assert.That(Balance(), Is.Zero);
        Assert.That(AppDebits(), Is.EqualTo(1));
        Assert.That((string)Reward().status, Is.EqualTo("clawed_back"));
        Assert.That((string)Reward().last_error, Does.Contain("15.00 USD of store credit was taken back"));
        Assert.That(((long)Outcome().debited_minor, (long)Outcome().spent_minor, (string)Outcome().spent_as), Is.EqualTo((1500L, 0L, "none")));
    }

    [Test]
    public async Task PartlySpent_BalanceDebited_RestRecordedAsLoss()
    {
        await CreditedAsync();
        Assert.That(_h.Store.SpendStoreCredit(EngineHarness.Shop, EngineHarness.JaneId, "USD", 10m), "Jane pays with 10 of it");
        await RefundAndClawBackAsync();

        Assert.That(Balance(), Is.Zero, "the 5 left was taken; the account never goes below zero");
        Assert.That(_h.Store.StoreCreditTransactions(EngineHarness.Shop).Single(t => t.Event == "ADJUSTMENT" && t.IsDebit).Amount, Is.EqualTo(-5m));
        Assert.That((string)Reward().status, Is.EqualTo("lost"));
        Assert.That((string)Reward().last_error, Does.Contain("10.00 USD had been spent, recorded as a loss"));
        Assert.That(((long)Outcome().debited_minor, (long)Outcome().spent_minor, (string)Outcome().spent_as), Is.EqualTo((500L, 1000L, "loss")));
    }

    [Test]
    public async Task AllSpent_WithCreditInAnotherCurrency_ThatAccountIsNotTouched()
    {
        await CreditedAsync();
        Assert.That(_h.Store.SpendStoreCredit(EngineHarness.Shop, EngineHarness.JaneId, "USD", 15m));
        var cad = await _h.Get<IShopifyAdmin>().CreditStoreAccountAsync(EngineHarness.Shop, $"gid://shopify/Customer/{EngineHarness.JaneId}", 40m, "CAD", null, default);
        await RefundAndClawBackAsync();

        Assert.That(Balance("CAD"), Is.EqualTo(40m), "credit in another currency is never taken for this one");
        Assert.That(AppDebits(), Is.Zero);
        Assert.That((string)Reward().status, Is.EqualTo("lost"));
        Assert.That(((long)Outcome().debited_minor, (long)Outcome().spent_minor), Is.EqualTo((0L, 1500L)));

        // Shopify itself refuses a debit in a currency the account does not hold, and debits nothing.
        var refused = Assert.ThrowsAsync<ShopifyUserErrorException>(() =>
            _h.Get<StoreCreditAdmin>().DebitAsync(EngineHarness.Shop, cad.AccountId, 5m, "USD", default));
        Assert.That(refused!.UserErrors.Single().Code, Is.EqualTo("MISMATCHING_CURRENCY"));
        Assert.That(Balance("CAD"), Is.EqualTo(40m));
    }

    [Test]
    public async Task PartlySpent_DebtSetting_TakenFromTheNextCredit_Once()
    {
        await CreditedAsync(SpentCredit.Debt);
        Assert.That(_h.Store.SpendStoreCredit(EngineHarness.Shop, EngineHarness.JaneId, "USD", 10m));
        await RefundAndClawBackAsync();
        Assert.That((string)Reward().status, Is.EqualTo("clawed_back"));
        Assert.That((string)Outcome().spent_as, Is.EqualTo("debt"));

        // A second friend's order earns Jane 15 more; the 10 she owes is debited from it when it is issued.
        await _h.DeliverEditedAsync("orders/paid/with-code.json", o =>
        {
            o["id"] = 6_300_000_000_001;
            o["name"] = "#D1";
            o["email"] = "second-friend@example.com";
            o["contact_email"] = "second-friend@example.com";
            o["customer"] = null;
            o["client_details"]!["browser_ip"] = "192.0.2.77";
            o["browser_ip"] = "192.0.2.77";
        });
        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));
        Assert.That(Balance(), Is.EqualTo(15m), "issued in full first");
        Assert.That(await _h.Get<CreditDebtCollector>().RunOnceAsync(default), Is.EqualTo(1));
        Assert.That(await _h.Get<CreditDebtCollector>().RunOnceAsync(default), Is.Zero, "nothing is collected twice");
        Assert.That(await _h.Get<ShopifyReferral.Jobs.JobAudit>().EnqueueMissingAsync(_h.Get<CreditDebtCollector>(), default), Is.Zero, "the audit sees nothing left to do");

        Assert.That(Balance(), Is.EqualTo(5m));
        Assert.That((long)Outcome().collected_minor, Is.EqualTo(1000L));
    }

    [Test]
    public async Task DebitAnswerLost_FoundOnRetry_NeverDebitedTwice()
    {
        await CreditedAsync();
        _h.Store.Faults(EngineHarness.Shop).DropAfterCommitNext(1);
        await _h.DeliverAsync("refunds/create/full.json");
        await _h.Get<Clawback>().RunOnceAsync(default);
        Assert.That(Balance(), Is.Zero, "Shopify debited; the answer never came");
        Assert.That((string)Reward().status, Is.EqualTo("issued"));

        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromHours(1));
            await _h.Get<Clawback>().RunOnceAsync(default);
        }
        Assert.That(AppDebits(), Is.EqualTo(1), "the lost debit was found among the account's debits, not sent again");
        Assert.That((string)Reward().status, Is.EqualTo("clawed_back"));
    }

    [Test]
    public async Task ExplicitInsufficientFunds_IsShopifysAnswer()
    {
        await CreditedAsync();
        var account = _h.Store.StoreCreditAccounts(EngineHarness.Shop).Single();
        var refused = Assert.ThrowsAsync<ShopifyUserErrorException>(() =>
            _h.Get<StoreCreditAdmin>().DebitAsync(EngineHarness.Shop, account.Gid, 20m, "USD", default));
        Assert.That(refused!.UserErrors.Single().Code, Is.EqualTo("INSUFFICIENT_FUNDS"));
        Assert.That(Balance(), Is.EqualTo(15m));
    }
}
