using System.Data;
using Dapper;

namespace ShopifyReferral.Data;

/// <summary>
/// Flags (cancelled, test, blocked) are 0/1 integer columns on every provider, so shared SQL can say
/// <c>test = 0</c>. PostgreSQL has no implicit cast from boolean to integer, so a C# bool parameter is sent as the
/// number 0 or 1 on every provider (what SQLite stores anyway; SQL Server converts it to BIT). Reading turns 0/1
/// (or a BIT) back into a bool.
/// </summary>
internal sealed class FlagHandler : SqlMapper.ITypeHandler
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Dapper consults its built-in type map before handlers; bool must leave it for this handler to be used.
        SqlMapper.RemoveTypeMap(typeof(bool));
        SqlMapper.RemoveTypeMap(typeof(bool?));
        SqlMapper.AddTypeHandler(typeof(bool), new FlagHandler());
    }

    // A null bool? is typed too: PostgreSQL cannot infer the type of an untyped null in "@p IS NULL OR col = @p".
    public void SetValue(IDbDataParameter parameter, object value)
    {
        parameter.DbType = DbType.Int16;
        parameter.Value = value is bool flag ? (short)(flag ? 1 : 0) : DBNull.Value;
    }

    public object Parse(Type destinationType, object value) => Convert.ToBoolean(value, System.Globalization.CultureInfo.InvariantCulture);
}
