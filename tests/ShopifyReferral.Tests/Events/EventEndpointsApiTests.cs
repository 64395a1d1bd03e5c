using System.Net;
using System.Text.Json;
using ShopifyReferral.Events;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Engine;

namespace ShopifyReferral.Tests.Events;

/// <summary>The merchant API of endpoints: bad input answered naming the field, list, rotate, deliveries, replay, delete.</summary>
public class EventEndpointsApiTests : EventsFixture
{
    private static string[] Errors(JsonElement body, string field) =>
        body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Test]
    public async Task Create_UnknownOrMissingTypes_400NamingThem()
    {
        var (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url = Receiver.Url, types = new[] { "referral.approved", "referral.bogus", "order.paid" } });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("https://shopifyreferral.dev/problems/validation"));
        Assert.That(Errors(body, "types").Single(), Does.StartWith("Unknown event type(s): referral.bogus, order.paid. Known: "));

        (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url = Receiver.Url, types = Array.Empty<string>() });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Errors(body, "types").Single(), Does.StartWith("At least one event type is required"));

        (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { types = new[] { EventTypes.RewardIssued } });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(Errors(body, "url").Single(), Does.Contain("absolute https URL"));
        Assert.That(body.GetProperty("errors").TryGetProperty("types", out _), Is.False);

        (status, body) = await H.ApiAsync(HttpMethod.Post, "/api/event-endpoints", new { url = "ftp://example.com/x", types = 42 });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), "a JSON value of the wrong type");
        Assert.That(body.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain("types"));
    }

    [Test]
    public async Task Endpoint_ListRotateDeliveriesReplayDelete()
    {
        var id = await RegisterAsync(EventTypes.ReferrerEnrolled);
        var (status, list) = await H.ApiAsync(HttpMethod.Get, "/api/event-endpoints");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var listed = list.EnumerateArray().Single();
        Assert.That(listed.GetProperty("url").GetString(), Is.EqualTo(Receiver.Url));
        Assert.That(listed.GetProperty("types").EnumerateArray().Select(t => t.GetString()), Is.EqualTo(new[] { EventTypes.ReferrerEnrolled }));
        Assert.That(listed.TryGetProperty("secret", out _), Is.False, "a secret is shown at creation and rotation only");

        var old = Receiver.Secret;
        (status, var rotated) = await H.ApiAsync(HttpMethod.Post, $"/api/event-endpoints/{id}/rotate-secret");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Receiver.Secret = rotated.GetProperty("secret").GetString()!;
        Assert.That(Receiver.Secret, Is.Not.EqualTo(old).And.StartWith("whsec_"));

        await H.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 501, null, null, null);
        await DeliverAsync();
        var first = Receiver.All.Single();
        Assert.That(first.SignatureValid, Is.True, "signed with the new secret");
        Assert.That(EventReceiver.Verify(old, first.WebhookId, first.Timestamp, first.Body, first.Signature), Is.False, "not with the old one");

        (status, var deliveries) = await H.ApiAsync(HttpMethod.Get, $"/api/event-endpoints/{id}/deliveries");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        var d = deliveries.EnumerateArray().Single();
        Assert.That(d.GetProperty("status").GetString(), Is.EqualTo("delivered"));
        Assert.That(d.GetProperty("eventId").GetString(), Is.EqualTo(first.WebhookId));
        Assert.That(d.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
        Assert.That(d.GetProperty("lastStatus").GetInt32(), Is.EqualTo(200));

        (status, _) = await H.ApiAsync(HttpMethod.Post, $"/api/event-endpoints/{id}/deliveries/{d.GetProperty("id").GetInt64()}/replay");
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted));
        await DeliverAsync();
        Assert.That(Receiver.All.Select(r => r.WebhookId), Is.EqualTo(new[] { first.WebhookId, first.WebhookId }), "a replay is the same event");
        Assert.That(Receiver.All[1].Body, Is.EqualTo(first.Body));

        (status, _) = await H.ApiAsync(HttpMethod.Post, $"/api/event-endpoints/{id}/deliveries/999999/replay");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        (status, _) = await H.ApiAsync(HttpMethod.Get, $"/api/event-endpoints/{id}/deliveries?limit=0");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));

        // Deleted with a delivery still waiting: it ends, and nothing more is sent.
        Receiver.Answer = _ => 500;
        await H.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 502, null, null, null);
        await DeliverAsync();
        (status, _) = await H.ApiAsync(HttpMethod.Delete, $"/api/event-endpoints/{id}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NoContent));
        var sent = Receiver.All.Count;
        H.Time.Advance(TimeSpan.FromHours(2));
        await DeliverAsync();
        Assert.That(Receiver.All, Has.Count.EqualTo(sent));
        Assert.That(Deliveries().Last().Status, Is.EqualTo("cancelled"));
        (status, _) = await H.ApiAsync(HttpMethod.Get, $"/api/event-endpoints/{id}/deliveries");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        (status, _) = await H.ApiAsync(HttpMethod.Delete, $"/api/event-endpoints/{id}");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Endpoints_AreTheShopsOwn_AndOnlySubscribedTypesAreDelivered()
    {
        await RegisterAsync(EventTypes.RewardIssued);
        await H.Get<ReferrerService>().EnrolAsync(EngineHarness.Shop, 503, null, null, null);
        Assert.That(StoredEvents().Select(e => e.Type), Is.EqualTo(new[] { EventTypes.ReferrerEnrolled }), "recorded whoever listens");
        Assert.That(Deliveries(), Is.Empty, "but not delivered to an endpoint that did not subscribe");
        Assert.That((await H.Get<EventEndpointStore>().ListAsync("other-shop.myshopify.com", default)), Is.Empty);
    }
}
