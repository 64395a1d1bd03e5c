using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopifyReferral.Data;
using ShopifyReferral.Shops;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Flow;

/// <summary>
/// Flow's calls to the app, both signed like webhooks (base64 HMAC-SHA256 of the raw body with the client secret in
/// X-Shopify-Hmac-SHA256). POST /flow/lifecycle: a merchant turned a workflow on our trigger on or off; only triggers
/// that are on are sent. Answered at once, since Flow will not let the merchant enable a workflow until it is.
/// </summary>
public static class FlowApi
{
    private const string ProblemBase = "https://shopifyreferral.dev/problems/";

    public static IEndpointRouteBuilder MapFlow(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/flow").WithTags("Flow").ExcludeFromDescription().DisableAntiforgery();
        group.MapPost("/lifecycle", Lifecycle);
        group.MapPost("/actions/enrol-referrer", FlowEnrolAction.HandleAsync);
        return routes;
    }

    private static async Task<Results<Ok, ProblemHttpResult>> Lifecycle(HttpContext http, WebhookSignature signature, Db db)
    {
        var (body, refused) = await ReadSignedAsync(http, signature);
        if (refused is not null) return refused;
        var p = body!.RootElement;
        var handle = Text(p, "flow_trigger_definition_id");
        var shop = Text(p, "shopify_domain")?.ToLowerInvariant();
        if (handle is null || FlowTriggers.ByHandle(handle) is null)
            return Problem(400, "unknown-flow-trigger", $"flow_trigger_definition_id names none of this app's triggers ({string.Join(", ", FlowTriggers.All.Select(t => t.Handle))}).");
        if (shop is null || !ShopDomain.IsValid(shop)) return Problem(400, "invalid-shop-domain", "shopify_domain must be a *.myshopify.com domain.");
        if (!p.TryGetProperty("has_enabled_flow", out var on) || on.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return Problem(400, "invalid-flow-lifecycle", "has_enabled_flow must be true or false.");
        var at = Text(p, "timestamp") is { } t && DateTimeOffset.TryParse(t, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.ToUnixTimeMilliseconds() : 0L;
        await using var conn = await db.OpenAsync(http.RequestAborted);
        await using var tx = await conn.BeginTransactionAsync(http.RequestAborted);
        // Newest callback wins: one that arrives late (a retry) never undoes a later change.
        var args = new { shop, handle, enabled = on.GetBoolean() ? 1 : 0, at };
        if (await conn.ExecuteAsync("UPDATE flow_triggers SET enabled = @enabled, changed_at = @at WHERE shop = @shop AND handle = @handle AND changed_at <= @at", args, tx) == 0)
            await conn.ExecuteAsync("""
                INSERT INTO flow_triggers (shop, handle, enabled, changed_at)
                SELECT @shop, @handle, @enabled, @at WHERE NOT EXISTS (SELECT 1 FROM flow_triggers WHERE shop = @shop AND handle = @handle)
                """, args, tx);
        await tx.CommitAsync(http.RequestAborted);
        return TypedResults.Ok();
    }

    /// <summary>The body, once its signature matched; otherwise the 401 (or 400 for a body that is not JSON).</summary>
    internal static async Task<(JsonDocument? Body, ProblemHttpResult? Refused)> ReadSignedAsync(HttpContext http, WebhookSignature signature)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var bytes = buffer.ToArray();
        if (!signature.IsValid(bytes, http.Request.Headers["X-Shopify-Hmac-SHA256"].FirstOrDefault()))
            return (null, Problem(401, "invalid-hmac", "The HMAC signature is missing or does not match the body."));
        try
        {
            var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? (doc, null) : (null, Problem(400, "invalid-json", "The body must be a JSON object."));
        }
        catch (JsonException)
        {
            return (null, Problem(400, "invalid-json", "The body is not JSON."));
        }
    }

    internal static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static ProblemHttpResult Problem(int status, string type, string detail) =>
        TypedResults.Problem(detail, statusCode: status, type: ProblemBase + type);
}
