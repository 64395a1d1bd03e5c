using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>A statement the app sends to SQL Server, where it is sent from, and the C# type its rows are read into.</summary>
internal sealed record AppStatement(string Where, string Sql, ITypeSymbol? ReadInto)
{
    public override string ToString() => $"{Where}: {Sql.Trim().Split('\n')[0]}";
}

/// <summary>
/// Every SQL statement the app sends when its provider is SQL Server, found by following the SQL argument of each
/// Dapper call and each <c>CommandText</c> assignment in the app's sources back to its text, plus every member of
/// <see cref="SqlDialect.SqlServer"/>. Calls inside branches a SQL Server run never takes are left out. As a net,
/// every string in the app that starts like a SQL statement must have been reached, or be SQLite-only.
/// </summary>
internal sealed class AppStatements
{
    private static readonly Regex LooksLikeSql = new(@"^\s*(SELECT|INSERT|UPDATE|DELETE|MERGE|WITH|CREATE|ALTER|DROP|EXEC|PRAGMA|DECLARE|BEGIN)\s");

    public required IReadOnlyList<AppStatement> Statements { get; init; }

    /// <summary>What could not be followed, or SQL-looking text no call was found to send.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    /// <param name="dynamic">Values of the few strings only known at run time, keyed "File.cs:name".</param>
    public static AppStatements Find(IReadOnlyDictionary<string, Func<IEnumerable<string>>> dynamic)
    {
        var compilation = AppCompilation.Compilation;
        var operations = compilation.SyntaxTrees
            .SelectMany(t => Operations(AppCompilation.Model(t), t.GetRoot()))
            .ToList();
        var calls = operations.OfType<IInvocationOperation>()
            .ToLookup(i => i.TargetMethod.OriginalDefinition, (IEqualityComparer<IMethodSymbol>)SymbolEqualityComparer.Default);
        var values = new SqlValues(calls, dynamic);
        var none = ImmutableDictionary.Create<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default);
        var found = new List<AppStatement>();

        foreach (var op in operations)
        {
            var (sql, readInto) = SqlOf(op);
            if (sql is null || SqlServerBranch.NeverRuns(op.Syntax, op.SemanticModel!)) continue;
            foreach (var value in values.Of(sql, none))
                found.Add(new(SqlValues.Where(op.Syntax), value.Text, Substitute(readInto, value.TypeArguments)));
        }
        found.AddRange(typeof(SqlDialect).GetProperties().Where(p => p.PropertyType == typeof(string))
            .Select(p => new AppStatement($"SqlDialect.SqlServer.{p.Name}", SqlValues.Dialect(p.Name), null)));

        var problems = values.Problems.Concat(Unreached(compilation, values.Used)).ToList();
        return new AppStatements { Statements = found, Problems = problems };
    }

    /// <summary>The SQL a call sends, and the type argument its rows are read into (null for writes and dynamic reads).</summary>
    private static (IOperation? Sql, ITypeSymbol? ReadInto) SqlOf(IOperation op)
    {
        if (op is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" } } assign)
            // A command wrapper's setter passing its value on (Data/SharedConnection.cs) sends no text of its own.
            return assign.Value is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.PropertySet } }
                ? (null, null)
                : (assign.Value, null);
        if (op is not IInvocationOperation { TargetMethod.ContainingType: { Name: "SqlMapper", ContainingNamespace.Name: "Dapper" } } call)
            return (null, null);
        var sql = call.Arguments.FirstOrDefault(a => a.Parameter?.Name is "sql" or "command")?.Value;
        var reads = call.TargetMethod.Name.StartsWith("Query", StringComparison.Ordinal) || call.TargetMethod.Name.StartsWith("ExecuteScalar", StringComparison.Ordinal);
        return (sql, reads ? call.TargetMethod.TypeArguments.FirstOrDefault() : null);
    }

    private static ITypeSymbol? Substitute(ITypeSymbol? type, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> chosen) =>
        type is ITypeParameterSymbol p && chosen.TryGetValue(p, out var actual) ? actual : type;

    /// <summary>SQL-looking strings that no followed call reached and that a SQL Server run does not skip.</summary>
    private static IEnumerable<string> Unreached(Compilation compilation, HashSet<(string, Microsoft.CodeAnalysis.Text.TextSpan)> used)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = AppCompilation.Model(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                var text = node switch
                {
                    LiteralExpressionSyntax l when l.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralExpression) => l.Token.ValueText,
                    InterpolatedStringExpressionSyntax i => i.Contents.FirstOrDefault() is InterpolatedStringTextSyntax t ? t.TextToken.ValueText : "",
                    _ => null,
                };
                if (text is null || !LooksLikeSql.IsMatch(text) || used.Contains((tree.FilePath, node.Span))) continue;
                if (node.Ancestors().Any(a => a is InterpolatedStringExpressionSyntax && used.Contains((tree.FilePath, a.Span)))) continue;
                if (SqlServerBranch.NeverRuns(node, model) || InDialectOrFirstRows(node, model)) continue;
                yield return $"{SqlValues.Where(node)}: SQL-looking text that no followed call sends: {text.Trim().Split('\n')[0]}";
            }
        }
    }

    /// <summary>
    /// The dialects' own texts are checked member by member (SQL Server's statements, its fragments where they are
    /// used; the other providers' never reach SQL Server); Db.FirstRows is run for real on each use.
    /// </summary>
    private static bool InDialectOrFirstRows(SyntaxNode node, SemanticModel model) =>
        node.Ancestors().Any(a =>
            a is ClassDeclarationSyntax c && IsDialect(model.GetDeclaredSymbol(c) as INamedTypeSymbol)
            || a is MethodDeclarationSyntax { Identifier.ValueText: nameof(Db.FirstRows) } m && model.GetDeclaredSymbol(m)?.ContainingType.Name == nameof(Db));

    private static bool IsDialect(INamedTypeSymbol? type) =>
        type is not null && (type.Name == nameof(SqlDialect) || IsDialect(type.BaseType));

    private static IEnumerable<IOperation> Operations(SemanticModel model, SyntaxNode root) =>
        root.DescendantNodes()
            .Where(n => n is InvocationExpressionSyntax or AssignmentExpressionSyntax)
            .Select(n => model.GetOperation(n))
            .OfType<IOperation>();
}
