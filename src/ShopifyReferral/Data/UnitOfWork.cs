using System.Data.Common;

namespace ShopifyReferral.Data;

/// <summary>
/// One connection and one transaction that several pieces of work share, so they cost one commit (one fsync on
/// SQLite) instead of one each. While a unit is entered, <see cref="Db.OpenAsync(CancellationToken)"/> hands out
/// that connection (<see cref="SharedConnection"/>) and a transaction begun on it is a savepoint of the unit's, so
/// code written for its own connection and transaction runs unchanged inside it. A part is undone with
/// <see cref="RollbackToAsync"/> without touching the others; nothing is durable before <see cref="CommitAsync"/>.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private static readonly AsyncLocal<UnitOfWork?> Ambient = new();
    private readonly DbConnection _connection;
    private int _savepoints;
    private bool _done;

    private UnitOfWork(Db owner, DbConnection connection, DbTransaction transaction)
    {
        Owner = owner;
        _connection = connection;
        Transaction = transaction;
        Statements = connection is Microsoft.Data.Sqlite.SqliteConnection ? new StatementCache() : null;
        Shared = new SharedConnection(this, connection);
    }

    /// <summary>The unit the current flow has entered, if any.</summary>
    public static UnitOfWork? Current => Ambient.Value;

    internal Db Owner { get; }

    internal DbTransaction Transaction { get; }

    internal SharedConnection Shared { get; }

    /// <summary>The unit's prepared statements, on SQLite (see <see cref="StatementCache"/>).</summary>
    internal StatementCache? Statements { get; }

    internal static async Task<UnitOfWork> BeginAsync(Db owner, DbConnection connection, CancellationToken ct)
    {
        try
        {
            return new UnitOfWork(owner, connection, await connection.BeginTransactionAsync(ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes this the unit of the calling flow (and of what it awaits) until the returned scope is disposed. Set
    /// synchronously by the caller: an async method's changes to the ambient value do not reach its caller.
    /// </summary>
    public IDisposable Enter()
    {
        var before = Ambient.Value;
        Ambient.Value = this;
        return new Scope(() => Ambient.Value = before);
    }

    private Dictionary<(string What, string Key), object?>? _read;

    /// <summary>
    /// A read of what the unit's work never writes (a shop's event endpoints, its Flow triggers), done once per unit:
    /// each order of a batch would read the same rows again. Another instance may change them meanwhile, but that
    /// change could as well have come right after the batch's commit. Outside a unit it simply reads.
    /// </summary>
    /// <param name="keep">When given, only a value it accepts is remembered (one the unit may go on to write is not).</param>
    public static async Task<T> ReadOnceAsync<T>(string what, string key, Func<Task<T>> read, Func<T, bool>? keep = null)
    {
        if (Current is not { } unit) return await read();
        unit._read ??= [];
        if (unit._read.TryGetValue((what, key), out var known)) return (T)known!;
        var value = await read();
        if (keep?.Invoke(value) ?? true) unit._read[(what, key)] = value;
        return value;
    }

    /// <summary>
    /// Answers read for the unit's work before it began (outside any transaction, see
    /// <see cref="Webhooks.IWebhookHandler.PreReadAsync"/>), taken by <see cref="ReadOnceAsync{T}"/> as already read.
    /// </summary>
    public void Know(IEnumerable<PreRead> reads)
    {
        _read ??= [];
        foreach (var read in reads) _read[(read.What, read.Key)] = read.Value;
    }

    /// <summary>A new savepoint's name; savepoints nest, so a part can hold several.</summary>
    public async Task<string> SaveAsync(CancellationToken ct = default)
    {
        var name = "sp" + (++_savepoints).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Transaction.SaveAsync(name, ct);
        return name;
    }

    /// <summary>Undoes what was done since the savepoint, and forgets it.</summary>
    public async Task RollbackToAsync(string savepoint, CancellationToken ct = default)
    {
        await Transaction.RollbackAsync(savepoint, ct);
        await Transaction.ReleaseAsync(savepoint, ct);
    }

    /// <summary>Keeps what was done since the savepoint as part of the unit.</summary>
    public Task ReleaseAsync(string savepoint, CancellationToken ct = default) => Transaction.ReleaseAsync(savepoint, ct);

    public async Task CommitAsync(CancellationToken ct = default)
    {
        _done = true;
        await Transaction.CommitAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_done) await Transaction.RollbackAsync();
        }
        finally
        {
            if (Statements is not null) await Statements.DisposeAsync();
            await Transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    private sealed class Scope(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }
}

/// <summary>One answer read ahead of a unit of work, under the names <see cref="UnitOfWork.ReadOnceAsync{T}"/> is asked by.</summary>
public sealed record PreRead(string What, string Key, object? Value);

/// <summary>
/// A call to another system (Shopify) was asked for inside a <see cref="UnitOfWork"/>: it would hold the unit's
/// transaction (and SQLite's write lock) open for a network round trip. Whoever runs the unit undoes that part and
/// runs it again outside one.
/// </summary>
public sealed class CallInUnitOfWorkException(string what)
    : InvalidOperationException($"{what} is not called inside a unit of work; the work is to be run outside one.")
{
    /// <summary>Throws when the current flow is inside a unit of work.</summary>
    public static void ThrowIfInside(string what)
    {
        if (UnitOfWork.Current is not null) throw new CallInUnitOfWorkException(what);
    }

    public static bool IsIn(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is CallInUnitOfWorkException) return true;
        return false;
    }
}
