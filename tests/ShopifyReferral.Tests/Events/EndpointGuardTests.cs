using System.Net;
using Dapper;
using ShopifyReferral.Events;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Events;

/// <summary>SSRF: endpoints are https on public addresses, at registration and again at every connection.</summary>
public class EndpointGuardTests : EventsFixture
{
    protected override Dictionary<string, string?> Settings => new(); // production rules

    [TestCase("https://127.0.0.1/hook")]
    [TestCase("https://127.8.9.10:8443/hook")]
    [TestCase("https://10.1.2.3/hook")]
    [TestCase("https://172.20.0.1/hook")]
    [TestCase("https://192.168.1.1/hook")]
    [TestCase("https://169.254.169.254/latest/meta-data")]
    [TestCase("https://100.64.0.1/hook")]
    [TestCase("https://0.0.0.0/hook")]
    [TestCase("https://[::1]/hook")]
    [TestCase("https://[fe80::1]/hook")]
    [TestCase("https://[fd00::1]/hook")]
    [TestCase("https://[::ffff:127.0.0.1]/hook")]
    [TestCase("https://[64:ff9b::a00:1]/hook")]
    [TestCase("https://localhost/hook")]
    [TestCase("http://93.184.215.14/hook")]
    [TestCase("https://user:pw@93.184.215.14/hook")]
    public async Task Create_PrivateOrPlainTarget_400OnUrl(string url)
    {
        var (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url, types = new[] { EventTypes.RewardIssued } });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
        Assert.That(body.GetProperty("errors").GetProperty("url")[0].GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task Create_PublicHttpsAddress_201WithASecret()
    {
        var (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url = "https://93.184.215.14/hook", types = new[] { EventTypes.RewardIssued } });
        Assert.That(status, Is.EqualTo(HttpStatusCode.Created), body.ToString());
        Assert.That(body.GetProperty("secret").GetString(), Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(body.GetProperty("secret").GetString()!["whsec_".Length..]), Has.Length.EqualTo(32));
        using var db = H.App.OpenDb();
        Assert.That(db.ExecuteScalar<string>("SELECT secret FROM event_endpoints"), Does.Not.Contain(body.GetProperty("secret").GetString()!), "encrypted at rest");
    }

    [Test]
    public async Task Delivery_ToAHostThatNowResolvesPrivately_IsNeverConnected()
    {
        // As if the name resolved publicly when registered and points at loopback now: stored past the API's check.
        var port = new Uri(Receiver.Url).Port;
        var added = await H.Get<EventEndpointStore>().AddAsync(EngineHarness.Shop, $"http://localhost:{port}/hook", EventTypes.All, default);
        Receiver.Secret = added!.Value.Secret;
        await H.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 601, null, null, null);
        Assert.That(await DeliverAsync(), Is.Zero);
        Assert.That(Receiver.All, Is.Empty, "no connection was made");
        var d = Deliveries().Single();
        Assert.That((d.Status, d.Attempts), Is.EqualTo(("pending", 1)), "a failed attempt, retried (DNS may change back)");
        Assert.That(d.LastError, Does.Contain("loopback, private or link-local"));
    }

}

/// <summary>The address ranges the guard refuses, one by one.</summary>
[Category(ShopifyReferral.Tests.Infrastructure.TestProvider.NoDatabase)]
public class EndpointRangesTests
{
    [TestCase("8.8.8.8", false)]
    [TestCase("93.184.215.14", false)]
    [TestCase("172.32.0.1", false)]
    [TestCase("2606:4700::1111", false)]
    [TestCase("127.0.0.1", true)]
    [TestCase("10.255.255.255", true)]
    [TestCase("172.31.255.1", true)]
    [TestCase("192.0.0.8", true)]
    [TestCase("198.18.0.1", true)]
    [TestCase("224.0.0.1", true)]
    [TestCase("255.255.255.255", true)]
    [TestCase("::", true)]
    [TestCase("ff02::1", true)]
    [TestCase("fec0::1", true)]
    [TestCase("::ffff:10.0.0.1", true)]
    [TestCase("::ffff:8.8.8.8", false)]
    public void IsPrivate_ByRange(string address, bool expected) =>
        Assert.That(EndpointGuard.IsPrivate(IPAddress.Parse(address)), Is.EqualTo(expected));
}
