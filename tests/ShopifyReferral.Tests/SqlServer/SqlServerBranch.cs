using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// Decides provider checks the way they come out when the app runs on SQL Server: <c>db.Provider ==
/// DatabaseProvider.Sqlite</c> is false, <c>conn is SqliteConnection</c> is false, <c>conn is SqlConnection</c> is
/// true. Any other condition is unknown, and both of its branches count as sent.
/// </summary>
internal static class SqlServerBranch
{
    public const string Provider = "SqlServer";

    public static bool? Truth(IOperation? condition) => condition switch
    {
        IParenthesizedOperation p => Truth(p.Operand),
        IConversionOperation c => Truth(c.Operand),
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } u => !Truth(u.Operand),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } b => And(Truth(b.LeftOperand), Truth(b.RightOperand)),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } b => Or(Truth(b.LeftOperand), Truth(b.RightOperand)),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } b => ProviderIs(b.LeftOperand, b.RightOperand),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } b => !ProviderIs(b.LeftOperand, b.RightOperand),
        IIsTypeOperation t => ConnectionIs(t.TypeOperand),
        IIsPatternOperation { Pattern: IDeclarationPatternOperation d } when d.MatchedType is not null => ConnectionIs(d.MatchedType),
        IIsPatternOperation { Pattern: ITypePatternOperation t } => ConnectionIs(t.MatchedType),
        IIsPatternOperation { Pattern: IConstantPatternOperation c } p => ProviderIs(p.Value, c.Value),
        _ => null,
    };

    /// <summary>True when the node sits in a branch that a SQL Server run never takes.</summary>
    public static bool NeverRuns(SyntaxNode node, SemanticModel model)
    {
        for (SyntaxNode? child = node, parent = node.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            var (condition, inTrue, inFalse) = parent switch
            {
                IfStatementSyntax s => (s.Condition, child == s.Statement, child == s.Else),
                ConditionalExpressionSyntax c => (c.Condition, child == c.WhenTrue, child == c.WhenFalse),
                _ => (null, false, false),
            };
            if (condition is null || !(inTrue || inFalse)) continue;
            var truth = Truth(model.GetOperation(condition));
            if ((inTrue && truth == false) || (inFalse && truth == true)) return true;
        }
        return false;
    }

    /// <summary>For a switch on the provider: whether this arm is the one SQL Server takes (null: not a provider switch).</summary>
    public static bool? ArmTaken(ISwitchExpressionOperation s, ISwitchExpressionArmOperation arm)
    {
        if (!IsProvider(s.Value)) return null;
        var taken = s.Arms.FirstOrDefault(a => a.Pattern is IConstantPatternOperation c && EnumMember(c.Value) == Provider)
                    ?? s.Arms.FirstOrDefault(a => a.Pattern is IDiscardPatternOperation);
        return ReferenceEquals(taken, arm);
    }

    private static bool? ProviderIs(IOperation left, IOperation right)
    {
        if (IsProvider(left) && EnumMember(right) is { } r) return r == Provider;
        if (IsProvider(right) && EnumMember(left) is { } l) return l == Provider;
        return null;
    }

    private static bool IsProvider(IOperation op) =>
        Unwrap(op).Type?.Name == "DatabaseProvider" && EnumMember(op) is null;

    private static string? EnumMember(IOperation op) =>
        Unwrap(op) is IFieldReferenceOperation { Field.ContainingType.TypeKind: TypeKind.Enum } f ? f.Field.Name : null;

    private static bool? ConnectionIs(ITypeSymbol type) => type.Name switch
    {
        "SqliteConnection" => false,
        "SqlConnection" => true,
        _ => null,
    };

    private static IOperation Unwrap(IOperation op) => op is IConversionOperation c ? Unwrap(c.Operand) : op;

    private static bool? And(bool? a, bool? b) => a == false || b == false ? false : a == true && b == true ? true : null;

    private static bool? Or(bool? a, bool? b) => a == true || b == true ? true : a == false && b == false ? false : null;
}
