namespace ShopifyReferral.Sandbox.State;

/// <summary>A shop-specific webhook subscription made through <c>webhookSubscriptionCreate</c>.</summary>
public sealed record SandboxWebhookSubscription(long Id, string Topic, string Uri, DateTimeOffset CreatedAt)
{
    public string Gid => $"gid://shopify/WebhookSubscription/{Id}";
}

public sealed partial class ShopState
{
    private readonly List<SandboxWebhookSubscription> _subscriptions = [];

    public IReadOnlyList<SandboxWebhookSubscription> WebhookSubscriptions { get { lock (Gate) return [.. _subscriptions]; } }

    /// <summary>Adds a subscription; null when the same topic already goes to the same address (Shopify refuses it).</summary>
    internal SandboxWebhookSubscription? AddWebhookSubscription(string topic, string uri, DateTimeOffset now)
    {
        lock (Gate)
        {
            if (_subscriptions.Any(s => s.Topic == topic && s.Uri == uri)) return null;
            var subscription = new SandboxWebhookSubscription(_sandbox.NextId(), topic, uri, now);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    internal void ClearWebhookSubscriptions() { lock (Gate) _subscriptions.Clear(); }
}
