using ShopifyReferral.Operations;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Operations;

/// <summary>
/// The app raises the thread pool's floor as it starts: its SQLite calls block pool threads, and below the floor the
/// pool adds threads only about twice a second, so webhook answers queued behind busy workers (bench/README.md).
/// </summary>
public class PoolThreadsTests
{
    [Test]
    public void AfterStart_ThePoolKeepsAtLeastTheFloorOfWorkerThreads()
    {
        using var app = new TestApp(new() { ["Webhooks:Workers"] = "0", ["Jobs:Workers"] = "0" });
        app.Service<ShopifyReferral.Data.Db>();
        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.That(workers, Is.GreaterThanOrEqualTo(PoolThreads.MinWorkerThreads));
    }
}
