using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Engine;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Dashboard;

/// <summary>
/// The embedded dashboard mends a shop whose token Shopify refused: the API answers that the shop needs
/// re-authorisation, the page runs the token exchange with its session token by itself and carries on.
/// </summary>
[Category(Infrastructure.TestProvider.Browser)]
public class DashboardReauthTests
{
    [Test]
    public async Task ShopNeedingReauth_PageRunsTheTokenExchange_AndLoads()
    {
        await using var browser = await Browser.LaunchAsync();
        await using var h = await EngineHarness.StartAsync();
        h.Store.RevokeTokens(EngineHarness.Shop);
        h.Time.Advance(TimeSpan.FromMinutes(58));
        Assert.ThrowsAsync<ShopNeedsReauthException>(() => h.Get<ShopTokens>().GetAccessTokenAsync(EngineHarness.Shop, default).AsTask());
        Assert.That((await h.Get<ShopStore>().FindAsync(EngineHarness.Shop))?.Status, Is.EqualTo(ShopStore.NeedsReauth));

        var context = await browser.Chromium.NewContextAsync();
        // The test plays App Bridge: a session token from the store, as shopify.idToken() would give.
        await context.AddInitScriptAsync($"window.shopifyReferralToken = async () => '{h.Store.IssueSessionToken(EngineHarness.Shop, TimeSpan.FromHours(1))}';");
        var page = await context.NewPageAsync();
        var address = h.WebhookUrl.GetLeftPart(UriPartial.Authority);
        await page.GotoAsync($"{address}/app?shop={EngineHarness.Shop}");
        await page.WaitForSelectorAsync("body[data-ready=true]", new() { Timeout = 15000 });

        Assert.That(await page.Locator("#error").IsHiddenAsync(), Is.True, await page.Locator("#error").InnerTextAsync());
        Assert.That((await h.Get<ShopStore>().FindAsync(EngineHarness.Shop))?.Status, Is.EqualTo("installed"));
        Assert.That(await h.Get<ShopTokens>().FindAsync(EngineHarness.Shop, default), Is.Not.Null);
    }
}
