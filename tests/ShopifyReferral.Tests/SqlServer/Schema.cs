using Microsoft.CodeAnalysis;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// What a column's values come back as. SQLite stores every integer the same way, so its INTEGER affinity is one
/// family (<see cref="AnyInteger"/>) that the reader hands out as Int64; every other provider says the width.
/// </summary>
internal enum TypeFamily { Int16, Int32, Int64, AnyInteger, Bool, Text, Binary, Decimal, Double, Other }

internal sealed record SchemaColumn(string Table, string Name, string DeclaredType, TypeFamily Family);

/// <summary>One provider's tables and columns, in declaration order.</summary>
internal sealed class Schema(string provider, IEnumerable<SchemaColumn> columns)
{
    private readonly List<SchemaColumn> _columns = columns.ToList();

    public string Provider { get; } = provider;

    public IReadOnlyList<SchemaColumn> Columns => _columns;

    public SchemaColumn? Find(string table, string column) =>
        _columns.FirstOrDefault(c => Same(c.Table, table) && Same(c.Name, column));

    public IEnumerable<SchemaColumn> Of(string table) => _columns.Where(c => Same(c.Table, table));

    public bool HasTable(string table) => _columns.Any(c => Same(c.Table, table));

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>A type name as SQL Server, PostgreSQL (information_schema) or SQLite (declared type) spells it.</summary>
    public static TypeFamily FamilyOf(string declared, bool sqlite)
    {
        var t = declared.ToUpperInvariant();
        var paren = t.IndexOf('(');
        if (paren >= 0) t = t[..paren];
        t = t.Trim();
        if (sqlite)
            // SQLite's affinity rules, in SQLite's order (https://www.sqlite.org/datatype3.html#determination_of_column_affinity).
            return t.Contains("INT") ? TypeFamily.AnyInteger
                : t.Contains("CHAR") || t.Contains("CLOB") || t.Contains("TEXT") ? TypeFamily.Text
                : t.Contains("BLOB") || t.Length == 0 ? TypeFamily.Binary
                : t.Contains("REAL") || t.Contains("FLOA") || t.Contains("DOUB") ? TypeFamily.Double
                : TypeFamily.Decimal;
        return t switch
        {
            "SMALLINT" or "INT2" => TypeFamily.Int16,
            "INT" or "INTEGER" or "INT4" => TypeFamily.Int32,
            "BIGINT" or "INT8" => TypeFamily.Int64,
            "BIT" or "BOOLEAN" or "BOOL" => TypeFamily.Bool,
            "NVARCHAR" or "VARCHAR" or "NCHAR" or "CHAR" or "NTEXT" or "TEXT" or "CHARACTER VARYING" or "CHARACTER" => TypeFamily.Text,
            "VARBINARY" or "BINARY" or "IMAGE" or "BYTEA" => TypeFamily.Binary,
            "DECIMAL" or "NUMERIC" or "MONEY" => TypeFamily.Decimal,
            "FLOAT" or "DOUBLE PRECISION" or "FLOAT8" => TypeFamily.Double,
            _ => TypeFamily.Other,
        };
    }

    /// <summary>The family of a C# type a value is read into; null for types the contract does not judge (enums, objects).</summary>
    public static TypeFamily? FamilyOf(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            type = nullable.TypeArguments[0];
        if (type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }) return TypeFamily.Binary;
        return type.SpecialType switch
        {
            SpecialType.System_Int16 => TypeFamily.Int16,
            SpecialType.System_Int32 => TypeFamily.Int32,
            SpecialType.System_Int64 => TypeFamily.Int64,
            SpecialType.System_Boolean => TypeFamily.Bool,
            SpecialType.System_String => TypeFamily.Text,
            SpecialType.System_Decimal => TypeFamily.Decimal,
            SpecialType.System_Double => TypeFamily.Double,
            _ => null,
        };
    }

    /// <summary>
    /// Whether a column of this family can be read into a C# member of that family. Dapper converts between numeric
    /// types when it sets a property, a tuple element or a scalar, but a constructor parameter must have exactly
    /// the reader's type: there SQLite's integers are Int64 and nothing else.
    /// </summary>
    public static bool Fits(TypeFamily column, TypeFamily member, bool throughConstructor) => column switch
    {
        _ when column == member => true,
        TypeFamily.AnyInteger when throughConstructor => member == TypeFamily.Int64,
        TypeFamily.AnyInteger => member is TypeFamily.Int16 or TypeFamily.Int32 or TypeFamily.Int64 or TypeFamily.Bool,
        _ => false,
    };
}
