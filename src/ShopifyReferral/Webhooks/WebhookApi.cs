using ShopifyReferral.Shops;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// POST /webhooks, one endpoint for every topic. On the request path: read the raw bytes, verify the
/// HMAC, check the headers, commit the row, answer 200. Everything else happens in the background.
/// Shopify allows 5 s for the whole request and treats any non-2xx, redirects included, as a failure.
/// </summary>
public static partial class WebhookApi
{
    private const string ProblemBase = "https://shopifyreferral.dev/problems/";

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/webhooks", Receive).WithTags("Webhooks").DisableAntiforgery();
        return routes;
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> Receive(
        HttpContext http, WebhookSignature signature, InboxWriter inbox, IOptions<WebhookOptions> options, TimeProvider time)
    {
        var result = await StoreAsync(http, signature, inbox, options, time);
        // The topic only of stored deliveries: a refused request's headers are anybody's, and each value would be a series.
        if (result.Result is ProblemHttpResult refused) Operations.AppMetrics.WebhookReceived(null, "rejected", refused.ProblemDetails.Type?.Replace(ProblemBase, ""));
        else Operations.AppMetrics.WebhookReceived(Header(http.Request, "Topic"), "stored");
        return result;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> StoreAsync(
        HttpContext http, WebhookSignature signature, InboxWriter inbox, IOptions<WebhookOptions> options, TimeProvider time)
    {
        var request = http.Request;
        var max = options.Value.MaxBodyBytes;
        if (request.ContentLength > max) return Problem(413, "payload-too-large", $"The body is larger than {max} bytes.");
        var body = await ReadBodyAsync(request, max, http.RequestAborted);
        if (body is null) return Problem(413, "payload-too-large", $"The body is larger than {max} bytes.");

        // The signature comes first: an unsigned caller learns nothing about what else is wrong.
        if (!signature.IsValid(body, Header(request, "Hmac-Sha256")))
            return Problem(401, "invalid-hmac", "The HMAC signature is missing or does not match the body.");

        var topic = Header(request, "Topic");
        var shop = Header(request, "Shop-Domain");
        var webhookId = Header(request, "Webhook-Id");
        if (string.IsNullOrWhiteSpace(topic) || string.IsNullOrWhiteSpace(shop) || string.IsNullOrWhiteSpace(webhookId))
            return Problem(400, "missing-header", "X-Shopify-Topic, X-Shopify-Shop-Domain and X-Shopify-Webhook-Id are required.");
        if (!ShopDomain.IsValid(shop))
            return Problem(400, "invalid-shop-domain", $"'{shop}' is not a *.myshopify.com domain.");

        var delivery = new InboxDelivery(shop.ToLowerInvariant(), topic, webhookId, Header(request, "Event-Id"),
            Header(request, "Triggered-At"), Header(request, "API-Version"), body, time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            if (inbox.TryAdd(delivery) is not { } stored)
            {
                // The database is behind: refuse now rather than queue without bound. Shopify retries a non-2xx delivery.
                http.Response.Headers.RetryAfter = "5";
                return Problem(503, "inbox-full", "Too many deliveries are waiting to be stored; please retry.");
            }
            await stored;
        }
        catch (Exception)
        {
            // Not stored, so not acknowledged: Shopify retries a non-2xx delivery.
            return Problem(503, "inbox-unavailable", "The delivery could not be stored; please retry.");
        }
        return TypedResults.Ok();
    }

    /// <summary>Shopify's HTTPS deliveries use X-Shopify-*; the newer event deliveries use unprefixed shopify-*.</summary>
    private static string? Header(HttpRequest request, string name)
    {
        var value = request.Headers["X-Shopify-" + name];
        if (value.Count == 0) value = request.Headers["shopify-" + name];
        return value.Count == 0 ? null : value.ToString();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength is long length)
        {
            var exact = new byte[length];
            await request.Body.ReadExactlyAsync(exact, ct);
            return exact;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProblemHttpResult Problem(int status, string type, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: ProblemBase + type);
}
