using System.Net;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>The real background workers, on real time: a delivery is picked up without anyone asking.</summary>
public class WorkersTests
{
    [Test]
    public async Task Delivery_WithWorkersRunning_IsProcessedPromptly()
    {
        var handler = new ScriptedHandler();
        using var app = new TestApp(services: s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions
            .AddSingleton<ShopifyReferral.Webhooks.IWebhookHandler>(s, handler));
        var response = await app.CreateClient().SendAsync(Webhook.Request(ScriptedHandler.Topic, """{"id":7}"""));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Eventually.True(() => app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'") == 1, TimeSpan.FromSeconds(10));
        Assert.That(handler.Calls.Values, Is.EqualTo(new[] { 1 }));
    }
}
