using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ShopifyReferral.Data;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// The real app over a fresh database of this run's provider (a SQLite file unless SHOPIFYREFERRAL_TEST_PROVIDER
/// says otherwise, see <see cref="TestProvider"/>), already migrated (<see cref="TestDatabase.CreateMigrated"/>), reading the repository's appsettings.json with per-test
/// overrides. By default it runs in real mode (credentials set, secret "test-secret"); pass Kestrel = true for a
/// real HTTP listener on a free port (needed when the sandbox store must call the app back). Pass another app's
/// <see cref="Database"/> for a second instance on the same database and key ring.
/// </summary>
public sealed class TestApp(
    Dictionary<string, string?>? settings = null, TimeProvider? time = null, bool kestrel = false,
    Action<IServiceCollection>? services = null, TestDatabase? database = null, string environment = "Testing")
    : TestApp<Program>(settings, time, kestrel, services, database, environment)
{
    public const string Secret = "test-secret";
}

/// <summary>
/// The dev host in-process: the same app and settings as <see cref="TestApp"/>, started through the dev host's entry
/// point, so with the credentials emptied the sandbox store, the demo and the dev-only endpoints come with it.
/// </summary>
public sealed class DevHostApp(
    Dictionary<string, string?>? settings = null, TimeProvider? time = null, bool kestrel = false,
    Action<IServiceCollection>? services = null, TestDatabase? database = null, string environment = "Testing")
    : TestApp<DevHost.DevHostProgram>(settings, time, kestrel, services, database, environment);

/// <summary>What <see cref="TestApp"/> and <see cref="DevHostApp"/> share, for either entry point.</summary>
public class TestApp<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDatabase;
    private readonly string _environment;

    /// <param name="environment">The host environment.</param>
    public TestApp(
        Dictionary<string, string?>? settings = null, TimeProvider? time = null, bool kestrel = false,
        Action<IServiceCollection>? services = null, TestDatabase? database = null, string environment = "Testing")
    {
        _services = services;
        _environment = environment;
        _ownsDatabase = database is null;
        Database = database ?? TestDatabase.CreateMigrated();
        Folder = Database.Folder;
        _time = time;
        _settings = new()
        {
            ["Shopify:ClientId"] = "test-client-id",
            ["Shopify:ClientSecret"] = TestApp.Secret,
            ["Shopify:AppUrl"] = "http://127.0.0.1:5999",
            ["Webhooks:PollInterval"] = "00:00:00.050",
            ["Webhooks:RetryBaseDelay"] = "00:00:00.050",
            ["Jobs:PollInterval"] = "00:00:00.050",
            // A failed job is due again at once, as the tests' clock stands still: the next run retries it.
            ["Jobs:RetryBaseDelay"] = "00:00:00",
            // Tests run reconciliation and retention by hand; scheduled on a clock that jumps days they would run at random.
            ["Jobs:SchedulePeriodic"] = "false",
            // Read by the dev host only; its tests that want the demo say so.
            ["Sandbox:Demo"] = "false",
            ["Sandbox:History"] = "false",
        };
        foreach (var (k, v) in Database.Settings()) _settings[k] = v;
        // SQLite keeps the key ring beside its file by default; a server database has no file.
        if (Database.Provider != DatabaseProvider.Sqlite) _settings["DataProtection:KeysFolder"] = Path.Combine(Folder, "keys");
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
        if (kestrel) UseKestrel(0);
    }

    /// <summary>The test's database; a second TestApp given it runs as another instance on the same data.</summary>
    public TestDatabase Database { get; }

    /// <summary>A folder for the test's files (the SQLite file lives here).</summary>
    public string Folder { get; }

    /// <summary>The SQLite file, for tests about SQLite itself.</summary>
    public string DbPath => Database.SqlitePath;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(Repo.Root);
        builder.UseEnvironment(_environment);
        foreach (var (k, v) in _settings) builder.UseSetting(k, v);
        if (_time is not null)
            builder.ConfigureServices(s => s.Replace(ServiceDescriptor.Singleton(_time)));
        if (_services is not null) builder.ConfigureServices(_services);
    }

    /// <summary>Opens the test's database directly, to check what the app stored.</summary>
    public DbConnection OpenDb() => Database.Open();

    public long Count(string sql, object? args = null)
    {
        using var conn = OpenDb();
        return conn.ExecuteScalar<long>(sql, args);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) Database.Dispose();
        GC.SuppressFinalize(this);
    }
}
