using System.Text.Json.Nodes;
using GraphQLParser;
using GraphQLParser.AST;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>
/// Shopify's default static cost (docs/shopify-facts.md#query-cost): scalars 0, each object 1, connections multiplied
/// by <c>first</c>/<c>last</c>, each mutation field 10. Requested cost is charged up front.
/// </summary>
internal static class QueryCost
{
    public static int Requested(GraphQLOperationDefinition operation, GraphQLDocument document, JsonObject variables)
    {
        var total = 0;
        foreach (var field in RootFields(operation.SelectionSet, document))
        {
            total += operation.Operation == OperationType.Mutation
                ? 10 + Selection(field.SelectionSet, document, variables)
                : Field(field, document, variables);
        }
        return total;
    }

    /// <summary>Root fields with fragments flattened (root types have no type ambiguity).</summary>
    public static IEnumerable<GraphQLField> RootFields(GraphQLSelectionSet set, GraphQLDocument document)
    {
        foreach (var s in set.Selections)
        {
            if (s is GraphQLField f) yield return f;
            var nested = s switch
            {
                GraphQLInlineFragment i => i.SelectionSet,
                GraphQLFragmentSpread sp => document.FindFragmentDefinition(sp.FragmentName.Name.Value)?.SelectionSet,
                _ => null,
            };
            if (nested is not null)
                foreach (var n in RootFields(nested, document)) yield return n;
        }
    }

    private static int Field(GraphQLField field, GraphQLDocument document, JsonObject variables)
    {
        if (field.SelectionSet is null) return 0;
        var args = new FieldArgs(field, variables);
        var size = args.Int("first") ?? args.Int("last");
        var children = Selection(field.SelectionSet, document, variables);
        return 1 + Math.Max(1, size ?? 1) * children;
    }

    private static int Selection(GraphQLSelectionSet? set, GraphQLDocument document, JsonObject variables)
    {
        if (set is null) return 0;
        var total = 0;
        foreach (var s in set.Selections)
        {
            total += s switch
            {
                GraphQLField f => Field(f, document, variables),
                GraphQLInlineFragment i => Selection(i.SelectionSet, document, variables),
                GraphQLFragmentSpread sp => Selection(
                    document.FindFragmentDefinition(sp.FragmentName.Name.Value)?.SelectionSet, document, variables),
                _ => 0,
            };
        }
        return total;
    }
}
