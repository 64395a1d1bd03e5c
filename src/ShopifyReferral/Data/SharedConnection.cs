using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace ShopifyReferral.Data;

/// <summary>
/// The connection of a <see cref="UnitOfWork"/> as its parts see it: closing it keeps it open for the next part, a
/// transaction begun on it is a savepoint, and every command runs in the unit's transaction whatever it was given.
/// </summary>
public sealed class SharedConnection : DbConnection
{
    private readonly UnitOfWork _unit;

    internal SharedConnection(UnitOfWork unit, DbConnection inner)
    {
        _unit = unit;
        Inner = inner;
    }

    /// <summary>The provider's connection, for code that asks which provider it speaks to.</summary>
    public DbConnection Inner { get; }

    [AllowNull]
    public override string ConnectionString
    {
        get => Inner.ConnectionString;
        set => throw new InvalidOperationException("A unit of work's connection is not re-pointed.");
    }

    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;

    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();

    public override void Open() { } // already open: the unit opened it
    public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Close() { } // nor does disposing close it: the unit closes it when it ends

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        BeginDbTransactionAsync(isolationLevel, default).AsTask().GetAwaiter().GetResult();

    protected override async ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken) =>
        new Savepoint(this, _unit, await _unit.SaveAsync(cancellationToken));

    protected override DbCommand CreateDbCommand()
    {
        var command = Inner.CreateCommand();
        command.Transaction = _unit.Transaction;
        return new SharedCommand(command, _unit.Statements);
    }

    /// <summary>A part's own "transaction": commit keeps its work in the unit, rollback (or no commit) undoes only it.</summary>
    private sealed class Savepoint(SharedConnection connection, UnitOfWork unit, string name) : DbTransaction
    {
        private bool _ended;

        public override IsolationLevel IsolationLevel => unit.Transaction.IsolationLevel;
        protected override DbConnection DbConnection => connection;

        public override void Commit() => CommitAsync().GetAwaiter().GetResult();
        public override void Rollback() => RollbackAsync().GetAwaiter().GetResult();

        public override async Task CommitAsync(CancellationToken cancellationToken = default)
        {
            End();
            await unit.ReleaseAsync(name, cancellationToken);
        }

        public override async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            End();
            await unit.RollbackToAsync(name, cancellationToken);
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_ended) await RollbackAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_ended) Rollback();
            base.Dispose(disposing);
        }

        private void End()
        {
            if (_ended) throw new InvalidOperationException("This transaction has already been committed or rolled back.");
            _ended = true;
        }
    }

    /// <summary>
    /// A provider command that always runs in the unit's transaction (Dapper hands it the savepoint object). Its
    /// parameters are gathered on its own provider command; with a statement cache, an idle prepared command of the
    /// same text runs them, and goes back to the cache when this one is disposed (after its reader, as callers do).
    /// </summary>
    private sealed class SharedCommand(DbCommand inner, StatementCache? statements) : DbCommand
    {
        private DbCommand? _running; // inner or a rented one; handed to the cache at dispose
        private bool _released;

        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        // The provider's connection, not the shared one: Dapper tells what a provider supports by its connection's type
        // name (PostgreSQL takes an array for "= ANY(@ids)"; any other name gets the list spread into parameters).
        protected override DbConnection? DbConnection { get => inner.Connection; set { } }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;
        protected override DbTransaction? DbTransaction { get; set; }

        public override void Cancel() => (_running ?? inner).Cancel();
        public override void Prepare() => inner.Prepare();
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery() => Run(c => c.ExecuteNonQuery());
        public override object? ExecuteScalar() => Run(c => c.ExecuteScalar());
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => Run(c => c.ExecuteReader(Keep(behavior)));

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
            RunAsync(c => c.ExecuteNonQueryAsync(cancellationToken));
        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
            RunAsync(c => c.ExecuteScalarAsync(cancellationToken));
        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
            RunAsync(c => c.ExecuteReaderAsync(Keep(behavior), cancellationToken));

        private DbCommand Pick()
        {
            if (statements is null) return inner;
            if (_running is not null && !ReferenceEquals(_running, inner))
            {
                // Run again (Dapper's multi-row execute): the same rented command, unless the text changed.
                if (_running.CommandText == inner.CommandText)
                {
                    StatementCache.MoveParameters(inner, _running);
                    return _running;
                }
                statements.Return(_running);
            }
            return _running = statements.Rent(inner);
        }

        private T Run<T>(Func<DbCommand, T> run)
        {
            var command = Pick();
            try
            {
                return run(command);
            }
            catch
            {
                Distrust(command);
                throw;
            }
        }

        private async Task<T> RunAsync<T>(Func<DbCommand, Task<T>> run)
        {
            var command = Pick();
            try
            {
                return await run(command);
            }
            catch
            {
                Distrust(command);
                throw;
            }
        }

        /// <summary>A command whose execution failed is not kept (its statement may still hold the error).</summary>
        private void Distrust(DbCommand command)
        {
            if (!ReferenceEquals(command, _running)) return;
            _running = null;
            if (!ReferenceEquals(command, inner)) command.Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) Release();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            Release();
            await base.DisposeAsync();
        }

        private void Release()
        {
            if (_released) return; // the cache may own inner now
            _released = true;
            var running = _running;
            _running = null;
            if (running is not null) statements!.Return(running);
            if (!ReferenceEquals(running, inner)) inner.Dispose();
        }

        // A reader never closes the unit's connection when it is done.
        private static CommandBehavior Keep(CommandBehavior behavior) => behavior & ~CommandBehavior.CloseConnection;
    }
}
