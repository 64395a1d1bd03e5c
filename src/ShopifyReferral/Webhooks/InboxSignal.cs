namespace ShopifyReferral.Webhooks;

/// <summary>Wakes idle workers as soon as new rows are committed, so they need not wait a whole poll interval.</summary>
public sealed class InboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Notify() => Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) =>
        Volatile.Read(ref _next).Task.WaitAsync(timeout, time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
}
