using System.Net.Http.Headers;
using System.Text;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>Builds a delivery the way Shopify sends it: raw bytes signed with HMAC-SHA256, base64, and its headers.</summary>
public static class Webhook
{
    public static HttpRequestMessage Request(
        string topic, byte[] body, string? webhookId = null, string shop = "test-shop.myshopify.com",
        string secret = TestApp.Secret, string? hmac = null, string prefix = "X-Shopify-", DateTimeOffset? triggeredAt = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(prefix + "Hmac-Sha256", hmac ?? Sign(secret, body));
        request.Headers.Add(prefix + "Topic", topic);
        request.Headers.Add(prefix + "Shop-Domain", shop);
        request.Headers.Add(prefix + "API-Version", "2026-10");
        request.Headers.Add(prefix + "Webhook-Id", webhookId ?? Guid.NewGuid().ToString());
        request.Headers.Add(prefix + "Event-Id", Guid.NewGuid().ToString());
        request.Headers.Add(prefix + "Triggered-At", triggeredAt is { } at
            ? at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : "2026-11-21T15:03:14.877041743Z");
        return request;
    }

    public static HttpRequestMessage Request(string topic, string json, string? webhookId = null, string shop = "test-shop.myshopify.com") =>
        Request(topic, Encoding.UTF8.GetBytes(json), webhookId, shop);

    /// <summary>The replay tool's signer, so tests and webhooks/Replay sign the same way.</summary>
    public static string Sign(string secret, byte[] body) => ShopifyReferral.Replay.WebhookSigner.Sign(secret, body);

    /// <summary>A payload file from the repository's webhooks/ folder, e.g. Payload("orders/paid/with-code.json").</summary>
    public static byte[] Payload(string relative) => File.ReadAllBytes(Repo.Path("webhooks", relative));
}
