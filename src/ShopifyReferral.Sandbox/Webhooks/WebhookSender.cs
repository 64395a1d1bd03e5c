using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ShopifyReferral.Sandbox.Webhooks;

/// <summary>
/// Delivers webhooks the way Shopify does (docs/shopify-facts.md#webhook-signatures): HMAC-SHA256 of the raw bytes, base64,
/// with the client secret; Shopify's headers; 1 s connect and 5 s total timeouts; redirects not followed.
/// </summary>
internal sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly SandboxOptions _options;
    private readonly ConcurrentQueue<WebhookDeliveryResult> _deliveries = new();

    public WebhookSender(SandboxOptions options)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(1),
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        { Timeout = TimeSpan.FromSeconds(5) };
    }

    public IReadOnlyList<WebhookDeliveryResult> Deliveries => [.. _deliveries];

    public static string Sign(byte[] body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async Task<WebhookDeliveryResult> SendAsync(Uri target, string shop, string topic, byte[] body,
        string? webhookId, string? eventId, CancellationToken ct, DateTimeOffset? triggeredAt = null)
    {
        // A retry keeps the event's ids and its X-Shopify-Triggered-At: it is the same event, sent again.
        var triggered = triggeredAt ?? _options.Time.GetUtcNow();
        webhookId ??= Guid.NewGuid().ToString();
        eventId ??= Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", Sign(body, _options.ClientSecret));
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-API-Version", _options.WebhookApiVersion);
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId);
        request.Headers.Add("X-Shopify-Event-Id", eventId);
        request.Headers.Add("X-Shopify-Triggered-At",
            triggered.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));

        var watch = Stopwatch.StartNew();
        int status = 0;
        string? error = null;
        try
        {
            using var response = await _http.SendAsync(request, ct);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // Shopify treats timeouts and refused connections as failed deliveries, not as crashes.
            error = ex.Message;
        }
        var result = new WebhookDeliveryResult(target, shop, topic, webhookId, eventId, triggered, status, error, watch.Elapsed) { Body = body };
        _deliveries.Enqueue(result);
        return result;
    }

    public void Dispose() => _http.Dispose();
}
