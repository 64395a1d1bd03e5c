using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// The real app over a fresh SQLite file, reading the repository's appsettings.json with per-test overrides.
/// By default it runs in real mode (credentials set, secret "test-secret"); pass Kestrel = true for a real
/// HTTP listener on a free port (needed when the sandbox store must call the app back).
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string Secret = "test-secret";

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;

    /// <param name="environment">The host environment; sandbox mode exists only in Development.</param>
    public TestApp(
        Dictionary<string, string?>? settings = null, TimeProvider? time = null, bool kestrel = false,
        Action<IServiceCollection>? services = null, string environment = "Testing")
    {
        _services = services;
        _environment = environment;
        Folder = Repo.TempFolder();
        DbPath = System.IO.Path.Combine(Folder, "referral.db");
        _time = time;
        _settings = new()
        {
            ["Shopify:ClientId"] = "test-client-id",
            ["Shopify:ClientSecret"] = Secret,
            ["Shopify:AppUrl"] = "http://127.0.0.1:5999",
            ["ConnectionStrings:Referral"] = $"Data Source={DbPath}",
            ["Webhooks:PollInterval"] = "00:00:00.050",
            ["Webhooks:RetryBaseDelay"] = "00:00:00.050",
            ["Sandbox:Demo"] = "false",
        };
        foreach (var (k, v) in settings ?? []) _settings[k] = v;
        if (kestrel) UseKestrel(0);
    }

    public string Folder { get; }

    public string DbPath { get; }

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
    public SqliteConnection OpenDb()
    {
        var conn = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        conn.Open();
        return conn;
    }

    public long Count(string sql, object? args = null)
    {
        using var conn = OpenDb();
        return conn.ExecuteScalar<long>(sql, args);
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
