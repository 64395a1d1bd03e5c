using Microsoft.CodeAnalysis;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>A table column the app reads, and the C# member (or tuple element, or scalar) it lands in.</summary>
internal sealed record ColumnRead(string Where, string Table, string Column, string Member, ITypeSymbol Type, bool ThroughConstructor)
{
    public override string ToString() => $"{Where}: {Table}.{Column} -> {Member} ({Type.ToDisplayString()})";
}

/// <summary>
/// Pairs each result column of each read with where Dapper puts it: a scalar or tuple element by position, a type
/// with a parameterless constructor by property name, any other type through its constructor, by position and name
/// (which is why that case needs the reader's exact types).
/// </summary>
internal static class ColumnReads
{
    public static (List<ColumnRead> Reads, List<string> Problems) Of(IEnumerable<AppStatement> statements, Schema tracing)
    {
        var reads = new List<ColumnRead>();
        var problems = new List<string>();
        foreach (var s in statements.Where(s => s.ReadInto is not null))
        {
            var script = TSql.Parse(s.Sql, out var errors);
            if (errors.Count > 0) continue; // the parse test reports it
            var columns = ResultColumns.Of(script, tracing);
            if (columns is null || columns.Count == 0)
            {
                problems.Add($"{s.Where}: reads rows, but no result columns were found in: {s.Sql.Trim()}");
                continue;
            }
            foreach (var (column, member, type, ctor) in Bind(s, columns, problems))
                if (column.Table is not null && column.Column is not null)
                    reads.Add(new(s.Where, column.Table, column.Column, member, type, ctor));
        }
        return (reads, problems);
    }

    private static IEnumerable<(ResultColumn, string, ITypeSymbol, bool)> Bind(AppStatement s, IReadOnlyList<ResultColumn> columns, List<string> problems)
    {
        var type = s.ReadInto!;
        if (Schema.FamilyOf(type) is not null)
            return [(columns[0], "the scalar", type, false)];
        if (type is INamedTypeSymbol { IsTupleType: true } tuple)
            return tuple.TupleElements.Take(columns.Count).Select((e, i) => (columns[i], $"tuple item {i + 1}", e.Type, false));
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } named)
            return [];
        if (named.InstanceConstructors.Any(c => c.Parameters.Length == 0))
            return ByProperty(named, columns);
        var ctor = named.InstanceConstructors.FirstOrDefault(c =>
            c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length == columns.Count
            && c.Parameters.Select((p, i) => SameName(p.Name, columns[i].Name)).All(x => x));
        if (ctor is null)
        {
            problems.Add($"{s.Where}: no public constructor of {named.Name} takes the {columns.Count} columns " +
                         $"({string.Join(", ", columns.Select(c => c.Name))}) in order, and it has no parameterless one");
            return [];
        }
        return ctor.Parameters.Select((p, i) => (columns[i], $"{named.Name}({p.Name})", p.Type, true));
    }

    private static IEnumerable<(ResultColumn, string, ITypeSymbol, bool)> ByProperty(INamedTypeSymbol named, IReadOnlyList<ResultColumn> columns)
    {
        var members = named.GetMembers()
            .Select(m => m switch
            {
                IPropertySymbol { SetMethod: not null } p => (m.Name, p.Type),
                IFieldSymbol { IsReadOnly: false, IsImplicitlyDeclared: false } f => (m.Name, f.Type),
                _ => (Name: (string?)null, Type: (ITypeSymbol?)null),
            })
            .Where(m => m.Name is not null)
            .ToList();
        foreach (var column in columns)
            if (members.FirstOrDefault(m => SameName(m.Name!, column.Name)) is { Name: { } name, Type: { } type })
                yield return (column, $"{named.Name}.{name}", type, false);
    }

    /// <summary>Dapper's matching with MatchNamesWithUnderscores: case-insensitive, underscores ignored.</summary>
    private static bool SameName(string member, string? column) =>
        column is not null && (string.Equals(member, column, StringComparison.OrdinalIgnoreCase)
                               || string.Equals(member, column.Replace("_", ""), StringComparison.OrdinalIgnoreCase));
}
