using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// Parses T-SQL as SQL Server 2022 would (TSql160Parser). QUOTED_IDENTIFIER is ON, as SqlClient sets it on every
/// connection, so "rule" is an identifier. Dapper's list parameters (<c>IN @ids</c>) are expanded the way Dapper
/// sends them first. Unbracketed reserved words are reported even where the parser would accept them.
/// </summary>
internal static class TSql
{
    /// <summary>SQL Server's reserved keywords: as an identifier each needs [brackets] or "quotes".</summary>
    public static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "AUTHORIZATION", "BACKUP", "BEGIN", "BETWEEN", "BREAK", "BROWSE",
        "BULK", "BY", "CASCADE", "CASE", "CHECK", "CHECKPOINT", "CLOSE", "CLUSTERED", "COALESCE", "COLLATE", "COLUMN",
        "COMMIT", "COMPUTE", "CONSTRAINT", "CONTAINS", "CONTAINSTABLE", "CONTINUE", "CONVERT", "CREATE", "CROSS", "CURRENT",
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "CURSOR", "DATABASE", "DBCC", "DEALLOCATE",
        "DECLARE", "DEFAULT", "DELETE", "DENY", "DESC", "DISK", "DISTINCT", "DISTRIBUTED", "DOUBLE", "DROP", "DUMP", "ELSE",
        "END", "ERRLVL", "ESCAPE", "EXCEPT", "EXEC", "EXECUTE", "EXISTS", "EXIT", "EXTERNAL", "FETCH", "FILE", "FILLFACTOR",
        "FOR", "FOREIGN", "FREETEXT", "FREETEXTTABLE", "FROM", "FULL", "FUNCTION", "GOTO", "GRANT", "GROUP", "HAVING",
        "HOLDLOCK", "IDENTITY", "IDENTITY_INSERT", "IDENTITYCOL", "IF", "IN", "INDEX", "INNER", "INSERT", "INTERSECT", "INTO",
        "IS", "JOIN", "KEY", "KILL", "LEFT", "LIKE", "LINENO", "LOAD", "MERGE", "NATIONAL", "NOCHECK", "NONCLUSTERED", "NOT",
        "NULL", "NULLIF", "OF", "OFF", "OFFSETS", "ON", "OPEN", "OPENDATASOURCE", "OPENQUERY", "OPENROWSET", "OPENXML",
        "OPTION", "OR", "ORDER", "OUTER", "OVER", "PERCENT", "PIVOT", "PLAN", "PRECISION", "PRIMARY", "PRINT", "PROC",
        "PROCEDURE", "PUBLIC", "RAISERROR", "READ", "READTEXT", "RECONFIGURE", "REFERENCES", "REPLICATION", "RESTORE",
        "RESTRICT", "RETURN", "REVERT", "REVOKE", "RIGHT", "ROLLBACK", "ROWCOUNT", "ROWGUIDCOL", "RULE", "SAVE", "SCHEMA",
        "SECURITYAUDIT", "SELECT", "SEMANTICKEYPHRASETABLE", "SEMANTICSIMILARITYDETAILSTABLE", "SEMANTICSIMILARITYTABLE",
        "SESSION_USER", "SET", "SETUSER", "SHUTDOWN", "SOME", "STATISTICS", "SYSTEM_USER", "TABLE", "TABLESAMPLE", "TEXTSIZE",
        "THEN", "TO", "TOP", "TRAN", "TRANSACTION", "TRIGGER", "TRUNCATE", "TRY_CONVERT", "TSEQUAL", "UNION", "UNIQUE",
        "UNPIVOT", "UPDATE", "UPDATETEXT", "USE", "USER", "VALUES", "VARYING", "VIEW", "WAITFOR", "WHEN", "WHERE", "WHILE",
        "WITH", "WRITETEXT",
    };

    private static readonly Regex ListParameter = new(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase);

    /// <summary>Dapper sends <c>IN @ids</c> as <c>IN (@ids1, @ids2, ...)</c>.</summary>
    public static string AsDapperSends(string sql) => ListParameter.Replace(sql, m => $"IN (@{m.Groups[1].Value}1, @{m.Groups[1].Value}2)");

    public static TSqlScript Parse(string sql, out IList<ParseError> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        return (TSqlScript)parser.Parse(new StringReader(AsDapperSends(sql)), out errors);
    }

    /// <summary>Parse errors and unbracketed reserved words, each as a sentence; empty when SQL Server would take it.</summary>
    public static IReadOnlyList<string> Problems(string sql)
    {
        var script = Parse(sql, out var errors);
        var problems = errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
        if (errors.Count == 0)
        {
            var identifiers = new IdentifierCollector();
            script.Accept(identifiers);
            problems.AddRange(identifiers.Found
                .Where(i => i.QuoteType == QuoteType.NotQuoted && Reserved.Contains(i.Value))
                .Select(i => $"line {i.StartLine}: the reserved word {i.Value} is used as a name without [brackets]"));
        }
        return problems;
    }

    private sealed class IdentifierCollector : TSqlFragmentVisitor
    {
        public List<Identifier> Found { get; } = [];

        public override void Visit(Identifier node) => Found.Add(node);
    }
}
