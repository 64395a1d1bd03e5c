using ShopifyReferral.Rewards;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// Thanking needs write_customers. A shop that did not grant it gets a refusal no retry can change, so the reward's
/// thanks ends as failed with a reason the merchant can act on, and Shopify is not asked again.
/// </summary>
public class ThankScopeTests
{
    [Test]
    public async Task WithoutWriteCustomers_ThanksEndsFailedNamingTheScope_NotAskedAgain()
    {
        await using var h = await EngineHarness.StartAsync();
        h.Store.AddCustomer(EngineHarness.Shop, "jane.doe@example.com", 3, EngineHarness.JaneId);
        // The merchant installed with the scopes of before: no write_customers.
        await h.Get<ShopInstaller>().InstallAsync(EngineHarness.Shop,
            h.Store.CreateAuthorizationCode(EngineHarness.Shop, "read_orders,read_customers,read_discounts,write_discounts"), default);
        await h.EnrolJaneAsync();
        await h.DeliverAsync("orders/paid/with-code.json");
        Assert.That(await h.PassHoldAndIssueAsync(), Is.EqualTo(1));

        var sweeper = h.Get<RewardThanks>();
        Assert.That(await sweeper.RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(h.App.Count("SELECT COUNT(*) FROM reward_thanks WHERE outcome = 'failed' AND error LIKE '%write_customers%'"), Is.EqualTo(1));
        var calls = h.Store.Shop(EngineHarness.Shop).Requests.Count;
        Assert.That(await sweeper.RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(h.Store.Shop(EngineHarness.Shop).Requests, Has.Count.EqualTo(calls), "not asked again");
    }
}
