using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// The built app (the ShopifyReferral.dll of this test build's configuration) as a real child process on a
/// free loopback port over a fresh database of this run's provider: for tests that must kill it the hard way, which an in-process
/// WebApplicationFactory cannot survive. The working directory is the repository root, the app's content
/// root, so it reads appsettings.json as in production; the settings here override it through environment variables.
/// </summary>
public sealed class ServingApp : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly List<string> _log = [];
    private readonly bool _ownsDatabase;

    private ServingApp(Process process, TestDatabase database, bool ownsDatabase, int port)
    {
        _process = process;
        Database = database;
        _ownsDatabase = ownsDatabase;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The app's database (created in the folder given to StartAsync), dropped with the app.</summary>
    public TestDatabase Database { get; }

    public Uri BaseAddress { get; }

    /// <summary>Every line the app wrote so far (until it was killed: what it had not flushed is gone).</summary>
    public IReadOnlyList<string> Log
    {
        get { lock (_output) return [.. _log]; }
    }

    /// <summary>The app's last lines of output, for a failure message.</summary>
    public string Output
    {
        get { lock (_output) return string.Join("\n", _output); }
    }

    /// <param name="settings">More environment variables, e.g. Webhooks__Workers.</param>
    /// <param name="database">Another instance's database (and its folder's key ring), to run several on the same data; it stays the caller's to drop.</param>
    public static async Task<ServingApp> StartAsync(string folder, TimeSpan startup, Dictionary<string, string>? settings = null, TestDatabase? database = null)
    {
        if (!File.Exists(Repo.AppDll)) Assert.Fail($"The app is not built: {Repo.AppDll}");
        var port = FreePort();
        var owns = database is null;
        database ??= TestDatabase.CreateMigrated(folder);
        var info = new ProcessStartInfo("dotnet", [Repo.AppDll])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Shopify__ClientId"] = "test-client-id";
        info.Environment["Shopify__ClientSecret"] = TestApp.Secret;
        info.Environment["Shopify__AppUrl"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in database.Settings("__")) info.Environment[key] = value;
        info.Environment["DataProtection__KeysFolder"] = Path.Combine(database.Folder, "keys");
        info.Environment["Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings ?? []) info.Environment[key] = value;
        var app = new ServingApp(Process.Start(info)!, database, owns, port);
        await app.WaitHealthyAsync(startup);
        return app;
    }

    public bool Killed { get; private set; }

    /// <summary>SIGKILL on Linux: no shutdown hooks, no drain, no flush.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        if (_ownsDatabase) Database.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan within)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) Assert.Fail($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        Assert.Fail($"The app did not answer /health within {within}:\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _log.Add(line);
            _output.Enqueue(line);
            if (_output.Count > 50) _output.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
