using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ShopifyReferral.Replay;

/// <summary>One delivery's identity: the headers Shopify adds besides the signature.</summary>
public sealed record Delivery(string Topic, string Shop, string WebhookId, string EventId, DateTimeOffset TriggeredAt, string ApiVersion = "2026-10");

/// <summary>
/// Signs and addresses a webhook delivery as Shopify does: base64(HMAC-SHA256(client secret, raw body bytes)),
/// plus the X-Shopify-* headers (shopify.dev/docs/apps/build/webhooks/delivery-structure). The replay tool and
/// the tests share this file, so both sign exactly the same way.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The body goes out as the exact bytes given: re-serializing would break the signature.</summary>
    public static HttpRequestMessage Request(Uri url, byte[] body, string secret, Delivery d)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", d.Topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", Sign(secret, body));
        request.Headers.Add("X-Shopify-Shop-Domain", d.Shop);
        request.Headers.Add("X-Shopify-API-Version", d.ApiVersion);
        request.Headers.Add("X-Shopify-Webhook-Id", d.WebhookId);
        request.Headers.Add("X-Shopify-Event-Id", d.EventId);
        request.Headers.Add("X-Shopify-Triggered-At", TriggeredAt(d.TriggeredAt));
        return request;
    }

    /// <summary>Shopify writes nanoseconds (2023-03-29T18:00:27.877041743Z); .NET ticks give seven digits, so pad two.</summary>
    public static string TriggeredAt(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}
