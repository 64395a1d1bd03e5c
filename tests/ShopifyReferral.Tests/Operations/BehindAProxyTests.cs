using System.Net;
using Dapper;
using Microsoft.AspNetCore.Http;
using ShopifyReferral.Storefront;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Tests.Storefront;

namespace ShopifyReferral.Tests.Operations;

/// <summary>
/// Behind a load balancer every request arrives from its address. With Proxy:KnownProxies naming it, the shopper's
/// address from X-Forwarded-For is what the rate limit and the share-click hash use; from any other sender the
/// header is ignored (a shopper cannot pick their address). App-proxy requests, which all come from Shopify's
/// servers, spend their logged-in customer's budget, or their shop's when nobody is logged in.
/// The peer address is set on the in-memory server's connection, as a socket from the balancer would.
/// </summary>
public class BehindAProxyTests
{
    private const string Shop = "proxied.myshopify.com";
    private const string Balancer = "10.0.0.5";
    private TestApp _app = null!;

    private void Start(Dictionary<string, string?> more)
    {
        TestDatabase.SkipUnlessAvailable();
        more["Storefront:RateLimitPermits"] = "2";
        more["Storefront:ProxyShopRateLimitPermits"] = "3";
        more["Storefront:RateLimitWindow"] = "00:10:00";
        _app = new TestApp(StorefrontSeed.Settings(more));
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task KnownBalancer_EachShopperHasTheirOwnBudget()
    {
        Start(new() { ["Proxy:KnownProxies"] = Balancer });
        Assert.That(await Statuses(Balancer, "198.51.100.1", 3), Is.EqualTo(new[] { 404, 404, 429 }));
        Assert.That(await Statuses(Balancer, "198.51.100.2", 1), Is.EqualTo(new[] { 404 }), "another shopper behind the same balancer");
    }

    [Test]
    public async Task NoProxyConfigured_TheHeaderIsIgnored()
    {
        Start([]);
        Assert.That(await Statuses(Balancer, "198.51.100.1", 2), Is.EqualTo(new[] { 404, 404 }));
        Assert.That(await Statuses(Balancer, "198.51.100.2", 1), Is.EqualTo(new[] { 429 }), "one budget: the connection's address");
    }

    [Test]
    public async Task UnknownSender_CannotChooseItsAddress()
    {
        Start(new() { ["Proxy:KnownProxies"] = Balancer });
        Assert.That(await Statuses("203.0.113.66", "198.51.100.1", 2), Is.EqualTo(new[] { 404, 404 }));
        Assert.That(await Statuses("203.0.113.66", "198.51.100.9", 1), Is.EqualTo(new[] { 429 }), "a forged header from an unknown sender changes nothing");
    }

    [Test]
    public async Task KnownNetwork_ShareClickHashesTheShoppersAddress()
    {
        Start(new() { ["Proxy:KnownNetworks"] = "10.0.0.0/8" });
        await StorefrontSeed.InstallAsync(_app, Shop);
        var jane = await StorefrontSeed.EnrolAsync(_app, Shop, 501);
        var handle = Shop[..Shop.IndexOf('.')];
        var click = await Send("10.20.30.40", "198.51.100.7", $"/r/{jane.Code}?ch=email&s={handle}");
        Assert.That(click.Response.StatusCode, Is.EqualTo(302));
        using var db = _app.OpenDb();
        var hash = db.ExecuteScalar<string>("SELECT ip_hash FROM share_clicks WHERE code = @Code", new { jane.Code });
        Assert.That(hash, Is.EqualTo(_app.Service<StorefrontStore>().HashIp("198.51.100.7")));
    }

    [Test]
    public async Task AppProxy_PerLoggedInCustomer_ThenPerShop_NotPerShopifyAddress()
    {
        Start([]);
        await StorefrontSeed.InstallAsync(_app, Shop);
        const string shopify = "23.227.38.10"; // every app-proxy request comes from Shopify's servers
        async Task<int> Page(long? customer) => (await Send(shopify, null, "/proxy" + ProxyQuery.Signed(Shop, customer, DateTimeOffset.UtcNow))).Response.StatusCode;

        Assert.That(new[] { await Page(1), await Page(1), await Page(1) }, Is.EqualTo(new[] { 200, 200, 429 }), "customer 1's own budget of 2");
        Assert.That(await Page(2), Is.EqualTo(200), "customer 2 is not held back by customer 1");
        Assert.That(new[] { await Page(null), await Page(null), await Page(null), await Page(null) }, Is.EqualTo(new[] { 200, 200, 200, 429 }),
            "visitors who are not logged in share the shop's budget of 3");
    }

    private async Task<int[]> Statuses(string peer, string forwardedFor, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++) statuses[i] = (await Send(peer, forwardedFor, "/r/NOPE-1")).Response.StatusCode;
        return statuses;
    }

    private Task<HttpContext> Send(string peer, string? forwardedFor, string pathAndQuery) =>
        _app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(peer);
            var q = pathAndQuery.IndexOf('?');
            c.Request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
            c.Request.QueryString = new QueryString(q < 0 ? "" : pathAndQuery[q..]);
            if (forwardedFor is not null) c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
}
