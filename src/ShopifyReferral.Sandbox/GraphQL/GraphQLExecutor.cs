using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using ShopifyReferral.Sandbox.State;
using ShopifyReferral.Sandbox.Throttle;

namespace ShopifyReferral.Sandbox.GraphQL;

internal sealed record GraphQLRequest(string? Query, JsonObject Variables, string? OperationName);

/// <summary>The response body plus whether a mutation ran (fault injection drops those after commit).</summary>
internal sealed record GraphQLOutcome(JsonObject Body, bool RanMutation, string? Operation = null);

/// <summary>
/// Parse, pick the operation, check the variables against the version's input types, validate root fields, charge the throttle bucket, run resolvers, and wrap
/// the result with <c>extensions.cost</c> as every Shopify response has.
/// </summary>
internal sealed class GraphQLExecutor(ResolverRegistry registry, SandboxOptions options)
{
    /// <param name="version">The Admin API version in the URL, whose input types the variables are checked against.</param>
    /// <param name="scopes">What the caller's token was granted; null in tests that run the executor directly (all).</param>
    public GraphQLOutcome Execute(GraphQLRequest request, ShopState shop, string version, IReadOnlySet<string>? scopes = null)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(request.Query ?? "");
        }
        catch (GraphQLParserException ex)
        {
            return Fail(shop, 0, GraphQLErrors.Parse($"Parse error: {ex.Description}", ex.Location.Line, ex.Location.Column));
        }

        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var operation = request.OperationName is { } name
            ? operations.FirstOrDefault(o => o.Name?.StringValue == name)
            : operations.Count == 1 ? operations[0] : null;
        if (operation is null)
        {
            var message = operations.Count == 0 ? "No query string was present"
                : request.OperationName is null ? "An operation name is required"
                : $"No operation named \"{request.OperationName}\"";
            return Fail(shop, 0, GraphQLErrors.Simple(message, "OPERATION_NOT_FOUND"));
        }

        // Variables are checked before anything runs or is charged, as Shopify does.
        var refused = InputSchema.For(version)?.Check(operation, request.Variables).ToArray() ?? [];
        if (refused.Length > 0) return Fail(shop, 0, refused);

        var variables = WithDefaults(operation, request.Variables);
        var roots = registry.For(operation.Operation);
        var rootType = ResolverRegistry.RootTypeName(operation.Operation);
        var unknown = QueryCost.RootFields(operation.SelectionSet, document)
            .Where(f => f.Name.StringValue != "__typename" && !roots.ContainsKey(f.Name.StringValue))
            .Select(f => GraphQLErrors.UndefinedField(f.Name.StringValue, rootType, [f.Name.StringValue]))
            .ToArray();
        if (unknown.Length > 0) return Fail(shop, 0, unknown);

        var requested = QueryCost.Requested(operation, document, variables);
        if (requested > options.MaxSingleQueryCost)
        {
            var error = GraphQLErrors.Simple(
                $"Query cost is {requested}, which exceeds the single query max cost limit ({options.MaxSingleQueryCost}).",
                "MAX_COST_EXCEEDED");
            ((JsonObject)error["extensions"]!)["cost"] = requested;
            ((JsonObject)error["extensions"]!)["maxCost"] = options.MaxSingleQueryCost;
            return Fail(shop, requested, error);
        }
        if (!shop.Bucket.TryTake(requested, out var throttled))
            return new GraphQLOutcome(Wrap(null, [GraphQLErrors.Throttled()], requested, null, throttled), false, operation.Name?.StringValue);

        var context = new ResolveContext(shop, options, scopes);
        var root = new GraphObject(rootType);
        foreach (var (field, resolve) in roots) root.Add(field, args => resolve(context, args));

        var projector = new SelectionProjector(document, variables);
        var data = projector.Project(root, operation.SelectionSet, []);
        var isMutation = operation.Operation == OperationType.Mutation;
        var mutationFields = isMutation ? QueryCost.RootFields(operation.SelectionSet, document).Count() : 0;
        // The root object itself is free; each mutation payload costs 10 instead of 1.
        var actual = Math.Min(requested, projector.Objects - 1 + 9 * mutationFields);
        var status = shop.Bucket.Refund(requested - actual);
        return new GraphQLOutcome(Wrap(data, projector.Errors, requested, actual, status), isMutation, operation.Name?.StringValue);
    }

    private static GraphQLOutcome Fail(ShopState shop, int requested, params JsonObject[] errors) =>
        new(Wrap(null, new JsonArray([.. errors]), requested, null, shop.Bucket.Status()), false);

    private static JsonObject Wrap(JsonObject? data, JsonArray errors, int requested, int? actual, ThrottleStatus status)
    {
        var body = new JsonObject();
        if (errors.Count > 0) body["errors"] = errors;
        if (data is not null) body["data"] = data;
        body["extensions"] = new JsonObject
        {
            ["cost"] = new JsonObject
            {
                ["requestedQueryCost"] = requested,
                ["actualQueryCost"] = actual,
                ["throttleStatus"] = new JsonObject
                {
                    ["maximumAvailable"] = status.MaximumAvailable,
                    ["currentlyAvailable"] = status.CurrentlyAvailable,
                    ["restoreRate"] = status.RestoreRate,
                },
            },
        };
        return body;
    }

    private static JsonObject WithDefaults(GraphQLOperationDefinition operation, JsonObject variables)
    {
        var merged = (JsonObject)variables.DeepClone();
        foreach (var def in operation.Variables?.Items ?? [])
        {
            var name = def.Variable.Name.StringValue;
            if (!merged.ContainsKey(name) && def.DefaultValue is { } dv) merged[name] = FieldArgs.ToJson(dv, []);
        }
        return merged;
    }
}
