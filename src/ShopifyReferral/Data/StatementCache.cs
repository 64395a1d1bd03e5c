using System.Data.Common;

namespace ShopifyReferral.Data;

/// <summary>
/// A unit of work's prepared statements, one provider command per SQL text, on SQLite. Microsoft.Data.Sqlite keeps a
/// command's prepared statements on the command object and Dapper makes a new command per call, so every statement
/// was parsed again on every execution: in a claimed batch, where each row runs the same ~25 statements, preparing
/// was about 40 % of a worker's time (dotnet-trace, <c>EngineBench matching</c>). A kept command runs again with the
/// new caller's parameters, moved onto it. Not on PostgreSQL: there preparing is a server-side plan whose generic
/// form scans (bench/README.md), and a command object costs nothing to make.
/// </summary>
internal sealed class StatementCache : IAsyncDisposable
{
    /// <summary>Enough for the hot path's texts; a text built per call (an IN list of n values) must not grow it without bound.</summary>
    private const int Capacity = 256;

    private readonly Dictionary<string, DbCommand> _idle = new(StringComparer.Ordinal);
    private bool _disposed;

    internal int Count => _idle.Count;

    /// <summary>
    /// The command to run <paramref name="fresh"/>'s text with its parameters: an idle kept one of that text, taken out
    /// until <see cref="Return"/> (a reader may still be open on it, and a command runs one reader at a time), with
    /// the parameters moved onto it; else <paramref name="fresh"/> itself.
    /// </summary>
    public DbCommand Rent(DbCommand fresh)
    {
        if (!_idle.Remove(fresh.CommandText, out var kept)) return fresh;
        MoveParameters(fresh, kept);
        return kept;
    }

    public static void MoveParameters(DbCommand from, DbCommand to)
    {
        var parameters = from.Parameters.Cast<DbParameter>().ToArray();
        from.Parameters.Clear();
        to.Parameters.Clear();
        to.Parameters.AddRange(parameters);
        to.CommandTimeout = from.CommandTimeout;
    }

    /// <summary>A command done with (its reader closed) is kept for its text, unless one is kept already.</summary>
    public void Return(DbCommand command)
    {
        if (!_disposed && _idle.Count < Capacity && _idle.TryAdd(command.CommandText, command)) return;
        command.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var command in _idle.Values) await command.DisposeAsync();
        _idle.Clear();
    }
}
