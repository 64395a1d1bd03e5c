using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.Faults;

/// <summary>
/// <c>POST /_sandbox/{shop}/faults</c> and <c>DELETE /_sandbox/{shop}/faults</c>: the same faults as
/// <see cref="SandboxStore.Faults"/>, for a sandbox driven from another process. Not a Shopify URL.
/// Body: <c>{"kind":"fail|rateLimit|delay|dropAfterCommit","count":1,"status":503,"retryAfterSeconds":1,"delayMs":500,"mode":"badGateway|abort"}</c>.
/// </summary>
internal static class FaultsApi
{
    public static void MapFaults(this IEndpointRouteBuilder app, SandboxState state)
    {
        app.MapPost("/_sandbox/{shop}/faults", async (string shop, HttpRequest request) =>
        {
            JsonObject? body;
            try { body = await JsonNode.ParseAsync(request.Body) as JsonObject; }
            catch (JsonException) { body = null; }
            if (body is null) return Results.BadRequest(new { error = "Body must be a JSON object." });
            var faults = state.Shop(shop).Faults;
            var count = (int?)body["count"] ?? 1;
            try
            {
                switch ((string?)body["kind"])
                {
                    case "fail": faults.FailNext(count, (int?)body["status"] ?? 503); break;
                    case "rateLimit": faults.RateLimitNext(count, TimeSpan.FromSeconds((double?)body["retryAfterSeconds"] ?? 1)); break;
                    case "delay": faults.DelayNext(count, TimeSpan.FromMilliseconds((double?)body["delayMs"] ?? 0)); break;
                    case "dropAfterCommit":
                        faults.DropAfterCommitNext(count, (string?)body["mode"] is "abort" ? DropMode.Abort : DropMode.BadGateway);
                        break;
                    default: return Results.BadRequest(new { error = "kind must be fail, rateLimit, delay or dropAfterCommit." });
                }
            }
            catch (ArgumentException e)
            {
                return Results.BadRequest(new { error = e.Message });
            }
            return Results.Ok(new { pending = faults.Pending });
        });
        app.MapDelete("/_sandbox/{shop}/faults", (string shop) =>
        {
            state.Shop(shop).Faults.Clear();
            return Results.NoContent();
        });
    }
}
