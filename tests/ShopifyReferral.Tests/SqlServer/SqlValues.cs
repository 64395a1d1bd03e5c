using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>One text an expression can have on SQL Server, with the generic arguments its call sites chose.</summary>
internal sealed record SqlValue(string Text, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> TypeArguments);

/// <summary>
/// Works out the text(s) a string expression of the app has when it runs on SQL Server: constants and const
/// interpolations, SQL Server's dialect (the real <see cref="SqlDialect.SqlServer"/>), <see cref="Db.FirstRows"/>
/// (the real method), locals, static fields, and method parameters through every call site. What it cannot
/// follow is a problem, unless the test names its values (<c>dynamic</c>, keyed "File.cs:name").
/// </summary>
internal sealed class SqlValues(
    ILookup<IMethodSymbol, IInvocationOperation> callSites, IReadOnlyDictionary<string, Func<IEnumerable<string>>> dynamic)
{
    private static readonly Db SqlServerDb = new(Options.Create(new DatabaseOptions
    {
        Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=never-opened",
    }));

    public List<string> Problems { get; } = [];

    /// <summary>String literals that some resolved statement was built from (tree path and span).</summary>
    public HashSet<(string, Microsoft.CodeAnalysis.Text.TextSpan)> Used { get; } = [];

    public static string Where(SyntaxNode node)
    {
        var line = node.GetLocation().GetLineSpan();
        return $"{Path.GetFileName(line.Path)}:{line.StartLinePosition.Line + 1}";
    }

    public IEnumerable<SqlValue> Of(IOperation op, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth = 0)
    {
        if (depth > 20) return Problem(op, "the SQL is passed through more than 20 calls");
        if (op.ConstantValue is { HasValue: true, Value: string text })
        {
            MarkUsed(op.Syntax);
            return [new(text, types)];
        }
        return op switch
        {
            IConversionOperation c => Of(c.Operand, types, depth),
            IParenthesizedOperation p => Of(p.Operand, types, depth),
            IConditionalOperation c => Branches(c, types, depth),
            ISwitchExpressionOperation s => s.Arms.Where(a => SqlServerBranch.ArmTaken(s, a) != false).SelectMany(a => Of(a.Value, types, depth + 1)),
            IInterpolatedStringOperation i => Interpolation(i, types, depth),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } b =>
                Join(Of(b.LeftOperand, types, depth + 1), () => Of(b.RightOperand, types, depth + 1)),
            IInvocationOperation { TargetMethod: { Name: nameof(Db.FirstRows), ContainingType.Name: nameof(Db) } } inv =>
                Of(inv.Arguments[^1].Value, types, depth + 1).Select(v => v with { Text = SqlServerDb.FirstRows(v.Text) }),
            IPropertyReferenceOperation { Property.ContainingType.Name: nameof(SqlDialect) } p => [new(Dialect(p.Property.Name), types)],
            IInvocationOperation { TargetMethod: { ContainingType.Name: nameof(SqlDialect), IsStatic: false } } inv => Fragment(inv, types),
            IInvocationOperation { TargetMethod: { IsStatic: true, ReturnType.SpecialType: SpecialType.System_String } } inv
                when inv.TargetMethod.ContainingAssembly.Name == AppCompilation.AssemblyName => StaticFragment(inv, types),
            IObjectCreationOperation { Constructor.ContainingType.Name: "CommandDefinition" } n =>
                Of(n.Arguments.First(a => a.Parameter?.Name == "commandText").Value, types, depth + 1),
            IPropertyReferenceOperation { Property.ContainingType.TypeKind: TypeKind.Interface } p => Implementations(op, p.Property, types, depth),
            IPropertyReferenceOperation p when Getter(p.Property) is not null => Getter(p.Property) is var (body, model)
                ? Of(model.GetOperation(body)!, types, depth + 1) : [],
            IFieldReferenceOperation f => Initializer(op, f.Field, types, depth),
            ILocalReferenceOperation l => Local(op, l.Local, types, depth),
            IParameterReferenceOperation p => Parameter(op, p.Parameter, types, depth),
            _ => Problem(op, $"cannot follow a {op.Kind} to its SQL"),
        };
    }

    public static string Dialect(string member) =>
        (string)typeof(SqlDialect).GetProperty(member)!.GetValue(SqlDialect.SqlServer)!;

    /// <summary>A fragment method of the dialect (InList, LikeIgnoringCase, …), run for real on SQL Server's with its constant arguments.</summary>
    private IEnumerable<SqlValue> Fragment(IInvocationOperation call, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types)
    {
        if (call.Arguments.Any(a => a.Value.ConstantValue is not { HasValue: true, Value: string }))
            return Problem(call, $"SqlDialect.{call.TargetMethod.Name} is called with an argument that is not a constant string");
        MarkUsed(call.Syntax);
        var method = typeof(SqlDialect).GetMethod(call.TargetMethod.Name, [.. call.Arguments.Select(_ => typeof(string))])!;
        return [new((string)method.Invoke(SqlDialect.SqlServer, [.. call.Arguments.Select(a => a.Value.ConstantValue.Value)])!, types)];
    }

    /// <summary>A static string method of the app (JobAudit.NoJobWaiting, …), run for real with its constant arguments.</summary>
    private IEnumerable<SqlValue> StaticFragment(IInvocationOperation call, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types)
    {
        if (call.Arguments.Any(a => a.Value.ConstantValue is not { HasValue: true, Value: string }))
            return Problem(call, $"{call.TargetMethod.Name} is called with an argument that is not a constant string");
        MarkUsed(call.Syntax);
        var type = typeof(SqlDialect).Assembly.GetType(call.TargetMethod.ContainingType.ToDisplayString())!;
        var method = type.GetMethod(call.TargetMethod.Name, [.. call.Arguments.Select(_ => typeof(string))])!;
        return [new((string)method.Invoke(null, [.. call.Arguments.Select(a => a.Value.ConstantValue.Value)])!, types)];
    }

    private IEnumerable<SqlValue> Branches(IConditionalOperation c, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        var truth = SqlServerBranch.Truth(c.Condition);
        var values = new List<SqlValue>();
        if (truth != false) values.AddRange(Of(c.WhenTrue, types, depth + 1));
        if (truth != true && c.WhenFalse is not null) values.AddRange(Of(c.WhenFalse, types, depth + 1));
        return values;
    }

    private IEnumerable<SqlValue> Interpolation(IInterpolatedStringOperation i, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        MarkUsed(i.Syntax);
        IEnumerable<SqlValue> values = [new("", types)];
        foreach (var part in i.Parts)
        {
            var part1 = part;
            values = part1 switch
            {
                IInterpolatedStringTextOperation t => values.Select(v => v with { Text = v.Text + (string)t.Text.ConstantValue.Value! }).ToList(),
                IInterpolationOperation h => Join(values, () => Of(h.Expression, types, depth + 1)).ToList(),
                _ => Problem(part1, "an interpolation part of an unknown kind"),
            };
        }
        return values;
    }

    private static IEnumerable<SqlValue> Join(IEnumerable<SqlValue> lefts, Func<IEnumerable<SqlValue>> rights)
    {
        var right = rights().ToList();
        foreach (var l in lefts)
            foreach (var r in right)
                yield return new(l.Text + r.Text, l.TypeArguments.SetItems(r.TypeArguments));
    }

    private IEnumerable<SqlValue> Initializer(IOperation at, ISymbol symbol, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        var declarator = symbol.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<VariableDeclaratorSyntax>().FirstOrDefault();
        if (declarator?.Initializer is null) return Named(at, symbol, "it has no initializer");
        if (symbol is IFieldSymbol { IsReadOnly: false, IsConst: false }) return Problem(at, $"{symbol.Name} is a field that can change");
        var model = AppCompilation.Model(declarator.SyntaxTree);
        return Of(model.GetOperation(declarator.Initializer.Value)!, types, depth + 1);
    }

    /// <summary>The expression of a property declared <c>=> …</c> in the app, with the model of its file.</summary>
    private static (ExpressionSyntax, SemanticModel)? Getter(IPropertySymbol property) =>
        property.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<PropertyDeclarationSyntax>().FirstOrDefault()?.ExpressionBody is { } body
            ? (body.Expression, AppCompilation.Model(body.SyntaxTree)) : null;

    /// <summary>An interface's property (IAuditedJob.MissingJobs): the text of every class of the app that implements it.</summary>
    private IEnumerable<SqlValue> Implementations(IOperation at, IPropertySymbol property, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        var values = new List<SqlValue>();
        foreach (var tree in AppCompilation.Compilation.SyntaxTrees)
        {
            var model = AppCompilation.Model(tree);
            foreach (var c in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
                if (model.GetDeclaredSymbol(c) is INamedTypeSymbol type && type.FindImplementationForInterfaceMember(property) is IPropertySymbol implemented)
                    values.AddRange(Getter(implemented) is var (body, m) ? Of(m.GetOperation(body)!, types, depth + 1)
                        : Problem(at, $"{type.Name}.{implemented.Name} is not an expression-bodied property"));
        }
        return values.Count > 0 ? values : Problem(at, $"no implementation of {property.Name} was found");
    }

    private IEnumerable<SqlValue> Local(IOperation at, ILocalSymbol local, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        var declared = local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        var body = declared?.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or LocalFunctionStatementSyntax);
        var model = at.SemanticModel!;
        var reassigned = body?.DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Any(a => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(a.Left).Symbol, local)) ?? false;
        if (reassigned) return Problem(at, $"the local {local.Name} is assigned more than once");
        return Initializer(at, local, types, depth);
    }

    private IEnumerable<SqlValue> Parameter(IOperation at, IParameterSymbol parameter, ImmutableDictionary<ITypeParameterSymbol, ITypeSymbol> types, int depth)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method || !callSites.Contains(method.OriginalDefinition))
            return Named(at, parameter, "no call of its method was found");
        var values = new List<SqlValue>();
        foreach (var call in callSites[method.OriginalDefinition])
        {
            if (SqlServerBranch.NeverRuns(call.Syntax, call.SemanticModel!)) continue;
            var argument = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal);
            if (argument is null) continue;
            var chosen = types;
            for (var i = 0; i < method.TypeParameters.Length; i++)
                chosen = chosen.SetItem(method.OriginalDefinition.TypeParameters[i], call.TargetMethod.TypeArguments[i]);
            values.AddRange(Of(argument.Value, chosen, depth + 1));
        }
        return values;
    }

    /// <summary>Values only known at run time, which the test supplies by name; anything else is a problem.</summary>
    private IEnumerable<SqlValue> Named(IOperation at, ISymbol symbol, string why)
    {
        var key = $"{Path.GetFileName(at.Syntax.SyntaxTree.FilePath)}:{symbol.Name}";
        return dynamic.TryGetValue(key, out var values)
            ? values().Select(v => new SqlValue(v, ImmutableDictionary.Create<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default)))
            : Problem(at, $"cannot resolve {key} ({why}); make it a constant, or name its values in the test");
    }

    private IEnumerable<SqlValue> Problem(IOperation at, string what)
    {
        Problems.Add($"{Where(at.Syntax)}: {what}");
        return [];
    }

    /// <summary>Marks the literals a value was built from, following constants to their declarations.</summary>
    private void MarkUsed(SyntaxNode node)
    {
        var model = AppCompilation.Model(node.SyntaxTree);
        foreach (var n in node.DescendantNodesAndSelf())
        {
            if (n is LiteralExpressionSyntax or InterpolatedStringExpressionSyntax)
                Used.Add((n.SyntaxTree.FilePath, n.Span));
            else if (n is IdentifierNameSyntax
                     && model.GetSymbolInfo(n).Symbol is IFieldSymbol { IsConst: true } or ILocalSymbol { IsConst: true }
                     && model.GetSymbolInfo(n).Symbol!.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer: { } init }
                     && Used.Add((init.SyntaxTree.FilePath, init.Span)))
                MarkUsed(init.Value);
        }
    }
}
