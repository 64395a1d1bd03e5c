using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Sandbox.OAuth;
using ShopifyReferral.Sandbox.State;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary><c>POST /{shop}/admin/api/{version}/graphql.json</c> (docs/shopify-facts.md#token-endpoint, docs/shopify-facts.md#rate-limits).</summary>
internal static partial class GraphQLApi
{
    private const string InvalidToken = "[API] Invalid API key or access token (unrecognized login or wrong password)";

    public static void MapGraphQL(this IEndpointRouteBuilder app, SandboxState state, TokenBook tokens, GraphQLExecutor executor) =>
        app.MapPost("/{shop}/admin/api/{version}/graphql.json", (HttpContext http, string shop, string version) =>
            Handle(http, shop, version, state, tokens, executor));

    private static async Task Handle(HttpContext http, string shop, string version,
        SandboxState state, TokenBook tokens, GraphQLExecutor executor)
    {
        http.Response.Headers["X-Request-Id"] = Guid.NewGuid().ToString();
        if (!VersionPattern().IsMatch(version))
        {
            await Write(http, 404, new JsonObject { ["errors"] = "Not Found" });
            return;
        }
        // Shopify echoes the version it actually served; the sandbox serves whatever was asked.
        http.Response.Headers["X-Shopify-API-Version"] = version;
        var shopState = state.Shop(shop);
        var log = new SandboxRequest(state.Options.Time.GetUtcNow(), null, 0, null);
        try
        {
            // Injected 5xx/429 come from "the edge", before the token is even looked at.
            if (await FaultGate.BeforeAsync(http, shopState.Faults)) return;
            var scopes = tokens.ScopesOf(shop, http.Request.Headers["X-Shopify-Access-Token"].FirstOrDefault());
            if (scopes is null)
            {
                await Write(http, 401, new JsonObject { ["errors"] = InvalidToken });
                return;
            }
            var request = await ReadRequest(http.Request);
            if (request is null)
            {
                await Write(http, 400, new JsonObject { ["errors"] = "Invalid JSON in request body" });
                return;
            }
            log = log with { Query = request.Query, Variables = request.Variables.ToJsonString() };
            var outcome = executor.Execute(request, shopState, version, scopes);
            log = log with { Operation = outcome.Operation ?? request.OperationName, ErrorCode = (string?)outcome.Body["errors"]?[0]?["extensions"]?["code"] };
            if (outcome.RanMutation)
                state.Options.OnMutation?.Invoke(new SandboxMutation(shop, outcome.Operation ?? request.OperationName, request.Variables, http.Connection.LocalPort));
            if (outcome.RanMutation && await FaultGate.AfterMutationAsync(http, shopState.Faults)) return;
            await Write(http, 200, outcome.Body);
        }
        finally
        {
            // Status 0 means the connection was aborted without an answer.
            shopState.Record(log with { Status = http.RequestAborted.IsCancellationRequested ? 0 : http.Response.StatusCode });
        }
    }

    internal static async Task Write(HttpContext http, int status, JsonNode body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    /// <summary>JSON <c>{query, variables, operationName}</c>, or a raw <c>application/graphql</c> document.</summary>
    private static async Task<GraphQLRequest?> ReadRequest(HttpRequest request)
    {
        if (request.ContentType?.StartsWith("application/graphql", StringComparison.OrdinalIgnoreCase) == true)
        {
            using var reader = new StreamReader(request.Body);
            return new GraphQLRequest(await reader.ReadToEndAsync(), [], null);
        }
        try
        {
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject body) return null;
            var variables = body["variables"] as JsonObject ?? [];
            return new GraphQLRequest(
                body["query"]?.GetValueKind() == JsonValueKind.String ? body["query"]!.GetValue<string>() : null,
                (JsonObject)variables.DeepClone(),
                body["operationName"]?.GetValueKind() == JsonValueKind.String ? body["operationName"]!.GetValue<string>() : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(\d{4}-(01|04|07|10)|unstable)$")]
    private static partial Regex VersionPattern();
}
