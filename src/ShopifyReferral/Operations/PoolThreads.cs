namespace ShopifyReferral.Operations;

/// <summary>
/// A floor under the thread pool. Microsoft.Data.Sqlite has no asynchronous I/O: its async methods run synchronously,
/// so every loop that runs SQL (the webhook and job workers, the inbox writer's continuations) holds a pool thread
/// while it does. The pool starts with one thread per core and adds more only when it sees starvation, about one
/// or two a second, so on a 2-core machine two busy workers left webhook requests queued behind them for hundreds of
/// milliseconds (bench/intake.sh, workers on: p99 277-385 ms; with this floor 24-37 ms, bench/README.md). Threads
/// up to the floor start when work is queued and retire when idle, so a quiet app does not keep them.
/// DOTNET_ThreadPool_ForceMinWorkerThreads still overrides it when set higher.
/// </summary>
public static class PoolThreads
{
    public const int MinWorkerThreads = 64;

    public static void RaiseFloor()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinWorkerThreads) ThreadPool.SetMinThreads(MinWorkerThreads, io);
    }
}
