using System.Globalization;
using System.Net;
using System.Web;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox.OAuth;

namespace ShopifyReferral.Tests.Install;

/// <summary>Install asks for a reward's extra scope (gift cards, products) only once the shop's program uses it.</summary>
public class RewardScopeTests
{
    private const string Shop = "scopes.myshopify.com";
    private InstallHarness _h = null!;

    [SetUp]
    public async Task Start() => _h = await InstallHarness.StartAsync();

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<string[]> AskedScopesAsync()
    {
        var query = ShopifySigning.SignQuery(new Dictionary<string, string> { ["shop"] = Shop, ["timestamp"] = _h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
            _h.Store.Options.ClientSecret);
        var response = await _h.Http.GetAsync("/auth/install?" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return HttpUtility.ParseQueryString(response.Headers.Location!.Query)["scope"]!.Split(',');
    }

    [Test]
    public async Task Install_ProgramWithoutGiftCards_DoesNotAskForThem()
    {
        Assert.That(await AskedScopesAsync(), Does.Contain("write_discounts").And.Not.Contain("write_gift_cards").And.Not.Contain("read_products"));
        await _h.Get<ProgramStore>().SaveAsync(Shop, new ProgramSettings { Reward = new(RewardType.StoreCredit, 10m) });
        Assert.That(await AskedScopesAsync(), Does.Not.Contain("write_gift_cards"));
    }

    [Test]
    public async Task Install_ProgramGivingGiftCardsAndAToy_AsksForEachScopeOnce()
    {
        await _h.Get<ProgramStore>().SaveAsync(Shop, new ProgramSettings
        {
            Reward = new(RewardType.GiftCard, 50m),
            Milestones = [new Milestone(5, new ReferrerReward(RewardType.FreeProduct, 68m, ProductId: "gid://shopify/Product/1", ProductTitle: "Toy"))],
        });
        var scopes = await AskedScopesAsync();
        Assert.That(scopes, Does.Contain("write_gift_cards").And.Contain("read_products").And.Contain("write_discounts"));
        Assert.That(scopes, Is.Unique);
    }
}
