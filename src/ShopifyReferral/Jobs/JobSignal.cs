namespace ShopifyReferral.Jobs;

/// <summary>Wakes a waiting loop at once; without a wake-up it waits its timeout. Many Notify calls before a wait count as one.</summary>
public class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) =>
        Volatile.Read(ref _next).Task.WaitAsync(timeout, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}

/// <summary>Wakes idle job loops as soon as a job is asked for.</summary>
public sealed class JobSignal : WakeSignal;
