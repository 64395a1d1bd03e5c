namespace ShopifyReferral.Sandbox;

/// <summary>
/// One webhook delivery attempt. Shopify counts only 2xx as success; redirects are failures too
/// (docs/shopify-facts.md#webhook-retries), so the sender does not follow them.
/// </summary>
public sealed record WebhookDeliveryResult(
    Uri Target,
    string Shop,
    string Topic,
    string WebhookId,
    string EventId,
    DateTimeOffset TriggeredAt,
    int StatusCode,
    string? Error,
    TimeSpan Elapsed)
{
    /// <summary>The exact bytes sent, so a test can deliver them again as Shopify's retry would.</summary>
    public byte[] Body { get; init; } = [];

    public bool Succeeded => StatusCode is >= 200 and < 300;
}
