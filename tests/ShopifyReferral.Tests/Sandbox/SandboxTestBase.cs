using ShopifyReferral.Sandbox;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>A fresh sandbox per test on a hand-moved clock, and a plain HttpClient to talk to it.</summary>
public abstract class SandboxTestBase
{
    protected const string ShopA = "alpha.myshopify.com";
    protected const string ShopB = "beta.myshopify.com";

    private protected ManualTimeProvider _time = null!;
    private protected SandboxStore _store = null!;
    private protected HttpClient _http = null!;

    [SetUp]
    public async Task StartSandbox()
    {
        _time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));
        _store = await SandboxStore.StartAsync(new SandboxOptions { Time = _time });
        _http = new HttpClient();
    }

    [TearDown]
    public async Task StopSandbox()
    {
        _http.Dispose();
        await _store.DisposeAsync();
    }
}
