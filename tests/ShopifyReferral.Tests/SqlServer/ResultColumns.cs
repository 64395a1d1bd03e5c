using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>A column of a statement's result: its name, and the table column it comes straight from (null when computed).</summary>
internal sealed record ResultColumn(string? Name, string? Table, string? Column);

/// <summary>
/// The result columns of a parsed statement, in order: a SELECT's list (with *, aliases, joins and CTEs) or a DML
/// statement's OUTPUT. A column is traced to its table only when it is a plain column reference.
/// </summary>
internal static class ResultColumns
{
    public static IReadOnlyList<ResultColumn>? Of(TSqlScript script, Schema schema)
    {
        foreach (var statement in script.Batches.SelectMany(b => b.Statements))
        {
            var result = statement switch
            {
                SelectStatement { Into: null } s => Query(s.QueryExpression, Ctes(s.WithCtesAndXmlNamespaces), schema),
                UpdateStatement u when u.UpdateSpecification.OutputClause is { } o => Output(o, u.UpdateSpecification.Target, Ctes(u.WithCtesAndXmlNamespaces), schema),
                InsertStatement i when i.InsertSpecification.OutputClause is { } o => Output(o, i.InsertSpecification.Target, Ctes(i.WithCtesAndXmlNamespaces), schema),
                DeleteStatement d when d.DeleteSpecification.OutputClause is { } o => Output(o, d.DeleteSpecification.Target, Ctes(d.WithCtesAndXmlNamespaces), schema),
                _ => null,
            };
            if (result is not null) return result;
        }
        return null;
    }

    private sealed record Source(string Name, string? Alias, CommonTableExpression? Cte);

    private static Dictionary<string, CommonTableExpression> Ctes(WithCtesAndXmlNamespaces? with) =>
        (with?.CommonTableExpressions ?? []).ToDictionary(c => c.ExpressionName.Value, StringComparer.OrdinalIgnoreCase);

    private static List<ResultColumn> Output(OutputClause output, TableReference target, Dictionary<string, CommonTableExpression> ctes, Schema schema)
    {
        var sources = Sources(target, ctes);
        // inserted.x / deleted.x name the target's columns.
        var asTarget = sources.Select(s => s with { Alias = "inserted" }).Concat(sources.Select(s => s with { Alias = "deleted" })).ToList();
        return Elements(output.SelectColumns, asTarget, ctes, schema);
    }

    private static List<ResultColumn> Query(QueryExpression query, Dictionary<string, CommonTableExpression> ctes, Schema schema) => query switch
    {
        QueryParenthesisExpression p => Query(p.QueryExpression, ctes, schema),
        BinaryQueryExpression b => Query(b.FirstQueryExpression, ctes, schema),
        QuerySpecification q => Elements(q.SelectElements,
            (q.FromClause?.TableReferences ?? []).SelectMany(t => Sources(t, ctes)).ToList(), ctes, schema),
        _ => [],
    };

    private static List<Source> Sources(TableReference table, Dictionary<string, CommonTableExpression> ctes) => table switch
    {
        NamedTableReference n => [new(n.SchemaObject.BaseIdentifier.Value, n.Alias?.Value, ctes.GetValueOrDefault(n.SchemaObject.BaseIdentifier.Value))],
        JoinTableReference j => [.. Sources(j.FirstTableReference, ctes), .. Sources(j.SecondTableReference, ctes)],
        JoinParenthesisTableReference p => Sources(p.Join, ctes),
        _ => [],
    };

    private static List<ResultColumn> Elements(
        IEnumerable<SelectElement> elements, List<Source> sources, Dictionary<string, CommonTableExpression> ctes, Schema schema)
    {
        var result = new List<ResultColumn>();
        foreach (var element in elements)
        {
            switch (element)
            {
                case SelectStarExpression star:
                    var qualifier = star.Qualifier?.Identifiers[^1].Value;
                    foreach (var s in sources.Where(s => qualifier is null || Named(s, qualifier)))
                        result.AddRange(s.Cte is not null ? CteColumns(s.Cte, ctes, schema) : schema.Of(s.Name).Select(c => new ResultColumn(c.Name, c.Table, c.Name)));
                    break;
                case SelectScalarExpression { Expression: ColumnReferenceExpression { ColumnType: ColumnType.Regular } c } e:
                    var ids = c.MultiPartIdentifier.Identifiers;
                    var traced = Trace(ids.Count > 1 ? ids[^2].Value : null, ids[^1].Value, sources, ctes, schema);
                    result.Add(new(e.ColumnName?.Value ?? ids[^1].Value, traced?.Table, traced?.Column));
                    break;
                case SelectScalarExpression e:
                    result.Add(new(e.ColumnName?.Value, null, null));
                    break;
                default:
                    result.Add(new(null, null, null));
                    break;
            }
        }
        return result;
    }

    private static ResultColumn? Trace(string? qualifier, string column, List<Source> sources, Dictionary<string, CommonTableExpression> ctes, Schema schema)
    {
        foreach (var s in sources.Where(s => qualifier is null || Named(s, qualifier)))
        {
            if (s.Cte is not null)
            {
                var inner = CteColumns(s.Cte, ctes, schema).FirstOrDefault(c => string.Equals(c.Name, column, StringComparison.OrdinalIgnoreCase));
                if (inner is not null) return inner.Table is null ? null : inner;
            }
            else if (schema.Find(s.Name, column) is { } found) return new(found.Name, found.Table, found.Name);
        }
        return null;
    }

    private static List<ResultColumn> CteColumns(CommonTableExpression cte, Dictionary<string, CommonTableExpression> ctes, Schema schema)
    {
        var inner = Query(cte.QueryExpression, ctes.Where(c => c.Value != cte).ToDictionary(StringComparer.OrdinalIgnoreCase), schema);
        if (cte.Columns.Count == 0) return inner;
        return cte.Columns.Select((name, i) => (i < inner.Count ? inner[i] : new ResultColumn(null, null, null)) with { Name = name.Value }).ToList();
    }

    private static bool Named(Source s, string qualifier) =>
        string.Equals(s.Alias ?? s.Name, qualifier, StringComparison.OrdinalIgnoreCase);
}
