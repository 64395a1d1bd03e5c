using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Rewards;

/// <summary>
/// Store credit is paid in the program's reward currency, else in the friend's order's currency, and never in a
/// currency the app made up. The sandbox shop sells in USD and, through a market, in EUR.
/// </summary>
public class RewardCurrencyTests
{
    private EngineHarness _h = null!;

    private async Task StartAsync(string? rewardCurrency)
    {
        _h = await EngineHarness.StartAsync(
            new ProgramSettings { Reward = new(RewardType.StoreCredit, 15m, Currency: rewardCurrency) },
            sandbox: o => o.PresentmentCurrencies = ["EUR"]);
        _h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", id: EngineHarness.JaneId);
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task ProgramSaysEur_OrderWasUsd_CreditedInEur()
    {
        await StartAsync("EUR");
        await _h.DeliverAsync("orders/paid/with-code.json"); // a USD order

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));

        Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "EUR"), Is.EqualTo(15m));
        Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "USD"), Is.Zero);
        Assert.That((string)_h.Rewards().Single().currency, Is.EqualTo("EUR"), "the ledger says what was paid");
    }

    [Test]
    public async Task NoProgramCurrency_CreditedInTheOrdersCurrency()
    {
        await StartAsync(null);
        await _h.DeliverEditedAsync("orders/paid/with-code.json", o => o["currency"] = "EUR");

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(1));

        Assert.That(_h.Store.StoreCreditBalance(EngineHarness.Shop, EngineHarness.JaneId, "EUR"), Is.EqualTo(15m));
    }

    [Test]
    public async Task NeitherProgramNorOrderNamesACurrency_FailsSayingSo_NothingCredited()
    {
        await StartAsync(null);
        await _h.DeliverEditedAsync("orders/paid/with-code.json", o => o.Remove("currency"));

        Assert.That(await _h.PassHoldAndIssueAsync(), Is.EqualTo(0));

        var reward = _h.Rewards().Single();
        Assert.That((string)reward.status, Is.EqualTo("failed"));
        Assert.That((string)reward.last_error, Does.Contain("currency"));
        Assert.That(_h.Store.StoreCreditTransactions(EngineHarness.Shop), Is.Empty, "no made-up USD credit");
    }
}
