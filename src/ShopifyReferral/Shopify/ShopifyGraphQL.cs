using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Shopify;

/// <summary>The <c>data</c> of a successful response and Shopify's X-Request-Id.</summary>
public sealed record ShopifyResponse(JsonElement Data, string? RequestId);

/// <summary>
/// Typed HttpClient that posts one document to a shop's Admin GraphQL endpoint: pacing, retries and
/// timeouts, and the HTTP and top-level GraphQL error kinds. userErrors are the caller's job.
/// </summary>
public sealed partial class ShopifyGraphQL(
    HttpClient http, IShopTokens tokens, IOptions<ShopifyOptions> options, ShopifyResilience resilience, ShopPacer pacer, TimeProvider time)
{
    // Only ever build URLs from a canonical myshopify domain (SSRF / token leak guard).
    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-]*\.myshopify\.com$")]
    private static partial Regex ShopDomain();

    public async Task<ShopifyResponse> ExecuteAsync(
        string shop, string operation, string document, JsonObject variables, CancellationToken ct, bool idempotent = true)
    {
        if (!ShopDomain().IsMatch(shop))
            throw new ArgumentException($"'{shop}' is not a {{name}}.myshopify.com domain.", nameof(shop));
        var o = options.Value;
        var endpoint = new Uri($"{o.AdminBaseUrl.Replace("{shop}", shop).TrimEnd('/')}/admin/api/{o.ApiVersion}/graphql.json");
        var body = new JsonObject { ["query"] = document, ["variables"] = variables }.ToJsonString();

        await pacer.WaitTurnAsync(shop, operation, ct);
        var pipeline = idempotent ? resilience.Pipeline : resilience.NotIdempotentPipeline;
        return await pipeline.ExecuteAsync(
            async token => await MeasuredAsync(shop, operation, endpoint, body, token), ct);
    }

    /// <summary>One attempt, counted by operation and outcome (each retry is a call of its own, as Shopify bills it).</summary>
    private async Task<ShopifyResponse> MeasuredAsync(string shop, string operation, Uri endpoint, string body, CancellationToken ct)
    {
        var started = Operations.AppMetrics.Start();
        var outcome = "error";
        try
        {
            var response = await SendOnceAsync(shop, operation, endpoint, body, ct);
            outcome = "ok";
            return response;
        }
        catch (ShopifyThrottledException)
        {
            outcome = "throttled";
            throw;
        }
        catch (ShopifyGraphQLException)
        {
            outcome = "graphql_error";
            throw;
        }
        catch (ShopifyHttpException ex)
        {
            outcome = $"http_{(int)ex.Status}";
            throw;
        }
        finally
        {
            Operations.AppMetrics.ShopifyCall(operation, outcome, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<ShopifyResponse> SendOnceAsync(string shop, string operation, Uri endpoint, string body, CancellationToken ct)
    {
        var accessToken = await tokens.GetAccessTokenAsync(shop, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Shopify-Access-Token", accessToken);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.FirstOrDefault() : null;

        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            throw new ShopifyHttpException(response.StatusCode, requestId, RetryAfter(response), Truncate(text));
        }

        JsonDocument json;
        try
        {
            json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), default, ct);
        }
        catch (JsonException e)
        {
            throw new ShopifyHttpException(response.StatusCode, requestId, null, "response is not JSON: " + e.Message);
        }
        using (json)
            return Interpret(shop, operation, json.RootElement, requestId);
    }

    private ShopifyResponse Interpret(string shop, string operation, JsonElement root, string? requestId)
    {
        var cost = root.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("cost", out var c) ? c : default;
        pacer.Observe(shop, operation, cost);
        if (cost.ValueKind == JsonValueKind.Object && cost.TryGetProperty("throttleStatus", out var throttle)
            && throttle.TryGetProperty("currentlyAvailable", out var available) && available.TryGetDouble(out var points))
            Operations.AppMetrics.Throttle(operation, points);

        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            var list = errors.EnumerateArray().Select(ReadError).ToList();
            if (list.Any(e => e.Code == "THROTTLED"))
                throw new ShopifyThrottledException(list, requestId, ShopPacer.ThrottleWait(cost) ?? TimeSpan.Zero);
            throw new ShopifyGraphQLException(list, requestId);
        }
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new ShopifyGraphQLException([new ShopifyGraphQLError("response has no data", null)], requestId);
        return new ShopifyResponse(data.Clone(), requestId);
    }

    private static ShopifyGraphQLError ReadError(JsonElement e) => new(
        e.TryGetProperty("message", out var m) ? m.GetString() ?? "" : e.ToString(),
        e.TryGetProperty("extensions", out var x) && x.TryGetProperty("code", out var code) ? code.GetString() : null);

    /// <summary>
    /// Retry-After as seconds or an HTTP date. Shopify has sent fractional seconds ("2.0"), which
    /// RetryConditionHeaderValue rejects, so the raw value is parsed first.
    /// </summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Retry-After", out var values)) return null;
        var raw = values.FirstOrDefault()?.Trim();
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
