using System.Collections.Concurrent;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>A handler for the test topic whose behaviour each test scripts; it counts calls per inbox row.</summary>
public sealed class ScriptedHandler : IWebhookHandler
{
    public const string Topic = "test/scripted";

    public IReadOnlyCollection<string> Topics { get; } = [Topic];

    /// <summary>Runs for every delivery; throw to fail the attempt.</summary>
    public Func<WebhookMessage, Task> Behaviour { get; set; } = _ => Task.CompletedTask;

    public ConcurrentDictionary<long, int> Calls { get; } = new();

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        Calls.AddOrUpdate(message.InboxId, 1, (_, n) => n + 1);
        await Behaviour(message);
    }
}
