using System.Net;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>Reconciliation paging, and the client's retries against throttles and faults the sandbox injects.</summary>
public partial class ShopifyAdminAgainstSandboxTests
{
    [Test]
    public async Task GetOrdersUpdatedSince_55Orders_TwoPagesOldestFirstAndOlderOnesLeftOut()
    {
        var customer = Store.AddCustomer(Shop, "buyer@example.com");
        Store.RecordOrder(Shop, new SandboxOrder { CustomerId = customer.Id });
        _env.Time.Advance(TimeSpan.FromMinutes(1));
        var since = _env.Time.GetUtcNow();
        _env.Time.Advance(TimeSpan.FromSeconds(2));
        for (var i = 0; i < 55; i++)
            Store.RecordOrder(Shop, new SandboxOrder { CustomerId = customer.Id, DiscountCode = i == 0 ? "FRIEND-10" : null });

        var first = await Admin.GetOrdersUpdatedSinceAsync(Shop, since, null, default);
        var second = await Admin.GetOrdersUpdatedSinceAsync(Shop, since, first.EndCursor, default);

        Assert.That((first.Orders.Count, first.HasNextPage), Is.EqualTo((50, true)));
        Assert.That((second.Orders.Count, second.HasNextPage), Is.EqualTo((5, false)));
        var all = first.Orders.Concat(second.Orders).ToList();
        var expected = Store.Orders(Shop).Skip(1).ToList();
        Assert.That(all.Select(o => o.Gid), Is.EqualTo(expected.Select(o => o.Gid)));
        var o = all[0];
        Assert.That((o.Name, o.LegacyId, o.FinancialStatus), Is.EqualTo((expected[0].Name, expected[0].Id, "PAID")));
        Assert.That(o.DiscountCodes, Is.EqualTo(new[] { "FRIEND-10" }));
        Assert.That((o.CustomerGid, o.CustomerEmail), Is.EqualTo((customer.Gid, "buyer@example.com")));
        Assert.That(all[^1].CustomerNumberOfOrders, Is.EqualTo(56));
        Assert.That((o.Total, o.Currency), Is.EqualTo((90m, "USD")));
    }

    [Test]
    public async Task Throttled_EmptyBucket_RetriedAfterRefillAndSucceeds()
    {
        await Admin.FindDiscountByCodeAsync(Shop, "WARM-UP", default); // token exchange out of the way
        // A create asks for ~12 points, which a real-time bucket needs ~120 ms to refill from zero.
        Store.Throttle(Shop).SetAvailable(0);

        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);

        var creates = Store.Shop(Shop).Requests.Where(r => r.Operation == "DiscountCodeBasicCreate").ToList();
        Assert.That(creates[0].ErrorCode, Is.EqualTo("THROTTLED"));
        Assert.That(creates[^1].ErrorCode, Is.Null);
        Assert.That(Store.Discounts(Shop).Single().Gid, Is.EqualTo(created.DiscountGid));
    }

    [Test]
    public async Task ServiceUnavailable_TwoTimes_RetriedAndSucceeds()
    {
        Store.Faults(Shop).FailNext(2, 503);

        var created = await Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default);

        Assert.That(Store.Shop(Shop).Requests.Select(r => r.Status), Is.EqualTo(new[] { 503, 503, 200 }));
        Assert.That(Store.Discounts(Shop).Single().Gid, Is.EqualTo(created.DiscountGid));
    }

    [Test]
    public async Task RateLimited429_HonoursRetryAfterThenSucceeds()
    {
        Store.Faults(Shop).RateLimitNext(1, TimeSpan.FromMilliseconds(300));

        Assert.That(await Admin.FindDiscountByCodeAsync(Shop, "NOPE", default), Is.Null);

        var requests = Store.Shop(Shop).Requests;
        Assert.That(requests.Select(r => r.Status), Is.EqualTo(new[] { 429, 200 }));
        // Retry-After is written with one decimal ("0.3"); the client waited at least that long.
        Assert.That(requests[1].At - requests[0].At, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(250)));
    }

    [Test]
    public async Task Latency_LongerThanAttemptTimeout_RetriedAndSucceeds()
    {
        await using var env = await AdminOverSandbox.StartAsync(("Shopify:RequestTimeout", "00:00:00.300"));
        env.Store.Faults(Shop).DelayNext(1, TimeSpan.FromSeconds(5));

        Assert.That(await env.Admin.FindDiscountByCodeAsync(Shop, "NOPE", default), Is.Null);
        Assert.That(env.Store.Faults(Shop).Pending, Is.Zero);
        Assert.That(env.Store.Shop(Shop).Requests.Count(r => r.Status == 200), Is.EqualTo(1));
    }

    [TestCase(DropMode.BadGateway)]
    [TestCase(DropMode.Abort)]
    public async Task DropAfterCommit_CallerLooksUpByCodeFirst_OneDiscountOnly(DropMode mode)
    {
        Store.Faults(Shop).DropAfterCommitNext(1, mode);
        var spec = Spec("FRIEND-10");

        // The client retries the lost create, which then meets its own code: TAKEN.
        var first = Assert.ThrowsAsync<ShopifyUserErrorException>(() => Admin.CreateCodeDiscountAsync(Shop, spec, default));
        Assert.That(first!.UserErrors.Single().Code, Is.EqualTo("TAKEN"));
        var gid = await EnsureDiscountAsync(spec);

        Assert.That(Store.Discounts(Shop).Select(d => d.Gid), Is.EqualTo(new[] { gid }));
        Assert.That(Store.Faults(Shop).Pending, Is.Zero);
    }

    [Test]
    public async Task DropAfterCommit_NoClientRetries_HttpErrorButDiscountExists()
    {
        await using var env = await AdminOverSandbox.StartAsync(("Shopify:MaxRetryAttempts", "0"));
        env.Store.Faults(Shop).DropAfterCommitNext();

        var error = Assert.ThrowsAsync<ShopifyHttpException>(() =>
            env.Admin.CreateCodeDiscountAsync(Shop, Spec("FRIEND-10"), default));

        Assert.That(error!.Status, Is.EqualTo(HttpStatusCode.BadGateway));
        var found = await env.Admin.FindDiscountByCodeAsync(Shop, "FRIEND-10", default);
        Assert.That(found?.DiscountGid, Is.EqualTo(env.Store.Discounts(Shop).Single().Gid));
    }

    [Test]
    public void RevokedToken_Answers401_NotRetried()
    {
        Store.IssueAccessToken(Shop);
        Assert.That(async () => await Admin.FindDiscountByCodeAsync(Shop, "NOPE", default), Throws.Nothing);
        Store.RevokeTokens(Shop);

        var error = Assert.ThrowsAsync<ShopifyHttpException>(() => Admin.FindDiscountByCodeAsync(Shop, "NOPE", default));

        Assert.That(error!.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(Store.Shop(Shop).Requests.Count(r => r.Status == 401), Is.EqualTo(1));
    }

    /// <summary>The idempotent pattern a reward issuer needs: look up by code, create, and on TAKEN look up again.</summary>
    private async Task<string> EnsureDiscountAsync(CodeDiscountSpec spec)
    {
        if (await Admin.FindDiscountByCodeAsync(Shop, spec.Code, default) is { } existing) return existing.DiscountGid;
        try
        {
            return (await Admin.CreateCodeDiscountAsync(Shop, spec, default)).DiscountGid;
        }
        catch (ShopifyUserErrorException e) when (e.UserErrors.Any(u => u.Code == "TAKEN"))
        {
            return (await Admin.FindDiscountByCodeAsync(Shop, spec.Code, default))!.DiscountGid;
        }
    }
}
