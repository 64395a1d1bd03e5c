using System.Text.Json.Nodes;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Engine;

/// <summary>
/// "Friend is new" asks Shopify how many orders the friend has. For a batch of deliveries those counts are asked
/// before the batch's transaction (FriendOrderCounts), once per friend, and only for orders that will be judged; each
/// order is then judged on its own friend's count, and a failed read ahead loses nothing.
/// </summary>
public class FriendOrderCountAheadTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    [Test]
    public async Task ABatchOfReferredOrders_EachFriendCountedOnce_EachJudgedOnItsOwnCount()
    {
        _h.Store.AddCustomer(EngineHarness.Shop, "first@example.com", numberOfOrders: 1, id: 501);
        _h.Store.AddCustomer(EngineHarness.Shop, "returning@example.com", numberOfOrders: 3, id: 502);
        // 503 is unknown to the store; 504 ordered with a code that is no referrer's; the guest has no account to count.
        await SendAsync("orders/paid", 9001, customer: 501, "first@example.com");
        await SendAsync("orders/paid", 9002, customer: 502, "returning@example.com");
        await SendAsync("orders/paid", 9003, customer: 503, "unknown@example.com");
        await SendAsync("orders/paid", 9004, customer: 504, "welcome@example.com", code: "WELCOME10");
        await SendAsync("orders/paid", 9005, customer: null, "guest@example.com");
        var before = CountRequests();
        await _h.ProcessAsync();

        Assert.That(_h.Referral(9001)!.Status, Is.EqualTo("pending"));
        Assert.That(_h.Referral(9002)!.StatusReason, Does.Contain("Shopify counts 3 orders"));
        Assert.That(_h.Referral(9003)!.Status, Is.EqualTo("pending"), "a customer Shopify does not know has no earlier orders");
        Assert.That(_h.Referral(9004), Is.Null);
        Assert.That(_h.Referral(9005)!.Status, Is.EqualTo("pending"));
        Assert.That(CountRequests()[before.Count..].Select(CustomerOf).Order(), Is.EqualTo(new[] { 501L, 502, 503 }),
            "one count per referred friend with an account, none for the other orders");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status <> 'done'"), Is.Zero);

        // Shopify sends orders/updated for a judged order again and again (fulfilment, tags): no count is asked for them.
        await SendAsync("orders/updated", 9001, customer: 501, "first@example.com", updatedAt: "2026-11-22T10:00:00-05:00");
        await SendAsync("orders/updated", 9002, customer: 502, "returning@example.com", updatedAt: "2026-11-22T10:00:00-05:00");
        var judged = CountRequests().Count;
        await _h.ProcessAsync();
        Assert.That(CountRequests(), Has.Count.EqualTo(judged));
        Assert.That(_h.Referral(9001)!.Status, Is.EqualTo("pending"));
    }

    [Test]
    public async Task ShopifyDownForTheReadAhead_OrdersRetriedThroughTheInbox_ThenJudged()
    {
        _h.Store.AddCustomer(EngineHarness.Shop, "returning@example.com", numberOfOrders: 3, id: 502);
        _h.Store.Faults(EngineHarness.Shop).FailNext(500, 503);
        await SendAsync("orders/paid", 9001, customer: 501, "first@example.com");
        await SendAsync("orders/paid", 9002, customer: 502, "returning@example.com");
        await _h.ProcessAsync();
        foreach (var order in new[] { 9001L, 9002 })
            Assert.That((_h.Referral(order)!.Status, _h.Referral(order)!.PaidAt), Is.EqualTo(("pending", (long?)null)), "not judged on a guess");
        Assert.That(_h.App.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'pending' AND last_error LIKE '%503%'"), Is.EqualTo(2));

        _h.Store.Faults(EngineHarness.Shop).Clear();
        _h.Time.Advance(TimeSpan.FromMinutes(5)); // the inbox's backoff
        await _h.ProcessAsync();
        Assert.That(_h.Referral(9001)!.PaidAt, Is.Not.Null);
        Assert.That(_h.Referral(9001)!.Status, Is.EqualTo("pending"));
        Assert.That(_h.Referral(9002)!.StatusReason, Does.Contain("Shopify counts 3 orders"));
    }

    /// <summary>The with-code payload as another friend's order, posted as Shopify would; not processed yet.</summary>
    private async Task SendAsync(string topic, long orderId, long? customer, string email, string code = "SAMREF-7Q2K", string? updatedAt = null)
    {
        var order = JsonNode.Parse(Webhook.Payload("orders/paid/with-code.json"))!.AsObject();
        order["id"] = orderId;
        order["name"] = $"#{orderId}";
        order["email"] = email;
        order["customer"] = customer is null ? null : new JsonObject { ["id"] = customer, ["email"] = email };
        order["client_details"]!["browser_ip"] = $"198.51.100.{orderId % 200}";
        order["discount_codes"]![0]!["code"] = code;
        if (updatedAt is not null) order["updated_at"] = updatedAt;
        var response = await _h.Store.SendWebhookAsync(_h.WebhookUrl, EngineHarness.Shop, topic, System.Text.Encoding.UTF8.GetBytes(order.ToJsonString()), null);
        Assert.That(response.StatusCode, Is.EqualTo(200), response.Error);
    }

    private List<ShopifyReferral.Sandbox.State.SandboxRequest> CountRequests() =>
        [.. _h.Store.Shop(EngineHarness.Shop).Requests.Where(r => r.Operation == "CustomerOrderCount")];

    private static long CustomerOf(ShopifyReferral.Sandbox.State.SandboxRequest request) =>
        long.Parse(JsonNode.Parse(request.Variables!)!["id"]!.GetValue<string>().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
}
