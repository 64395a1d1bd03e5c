namespace ShopifyReferral.Webhooks;

/// <summary>
/// Tells the inbox loops that the intake writer wants SQLite's write lock. A batch's one transaction holds that lock
/// while it works; SQLite's busy handler lets a waiting writer in only when it next wakes, so without a word a
/// batch after a batch could keep intake (whose commit a 200 waits for) waiting for many of them. A loop that sees
/// the intake waiting commits what it has so far and lets the intake's commit go first.
/// </summary>
public sealed class IntakeGate
{
    private readonly Lock _lock = new();
    private int _writing;
    private TaskCompletionSource _clear = Clear();

    /// <summary>True from just before the intake asks for the lock until its commit.</summary>
    public bool Waiting => Volatile.Read(ref _writing) > 0;

    public void Enter()
    {
        lock (_lock)
            if (_writing++ == 0) _clear = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Exit()
    {
        TaskCompletionSource clear;
        lock (_lock)
        {
            if (--_writing > 0) return;
            clear = _clear;
        }
        clear.TrySetResult();
    }

    /// <summary>Completes when the intake has committed (at once when it is not writing).</summary>
    public Task WhenClearAsync()
    {
        lock (_lock) return _clear.Task;
    }

    private static TaskCompletionSource Clear()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
