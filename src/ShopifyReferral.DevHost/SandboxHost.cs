using ShopifyReferral.Sandbox;

namespace ShopifyReferral.DevHost;

/// <summary>
/// Starts the sandbox store with the app and stops it with the app. It starts as a hosted service, after
/// the app's host is built, never before: the test host (WebApplicationFactory) adopts the first host
/// built in the process, and that must be the app's.
/// </summary>
public sealed class SandboxHost(SandboxOptions options, ILogger<SandboxHost> log) : IHostedService, IAsyncDisposable
{
    private SandboxStore? _store;

    public SandboxStore Store => _store ?? throw new InvalidOperationException("The sandbox store has not started yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = await SandboxStore.StartAsync(options, cancellationToken);
        log.LogInformation("Sandbox store listening at {Url}", _store.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        var store = Interlocked.Exchange(ref _store, null);
        if (store is not null) await store.DisposeAsync();
    }
}
