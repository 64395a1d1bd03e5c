using System.Diagnostics;
using System.Text;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>The built app (or the dev host) as a real child process, for what only a process shows: exit codes, SIGKILL, the log.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process) => _process = process;

    /// <param name="workingDirectory">The app's working directory and content root; the repository root by default.</param>
    /// <param name="dll">What to run: the app (<see cref="Repo.AppDll"/>) by default, or <see cref="Repo.DevHostDll"/>.</param>
    public static AppProcess Start(IDictionary<string, string> environment, string? workingDirectory = null, string? dll = null)
    {
        dll ??= Repo.AppDll;
        if (!File.Exists(dll)) Assert.Fail($"Not built: {dll}");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory ?? Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        // Nothing from the developer's shell or CI may change what the test sees.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("Shopify__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)
                     || k.StartsWith("Webhooks__", StringComparison.Ordinal) || k.StartsWith("ConnectionStrings__", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (k, v) in environment) info.Environment[k] = v;
        var app = new AppProcess(new Process { StartInfo = info });
        app._process.OutputDataReceived += (_, e) => app.Append(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool HasExited => _process.HasExited;

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL on Linux: no shutdown hooks, no flushing; what is on disk is all there is.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
