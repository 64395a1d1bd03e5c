using System.Collections.Concurrent;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>
/// A handler that joins batches. Each delivery <c>{"key": k, "kind": ...}</c> asks for one job (test.effect, k): the
/// effect, whose row must exist exactly once (wakes = 0) when the delivery is done and not at all when it failed.
/// Kinds: ok; permanent (asks, then fails for good); transient (asks, then fails its first attempt); outside (asks,
/// then needs a call that is refused inside a unit of work); crash (asks, then the worker is shut down mid-batch, on
/// the first attempt only); yield (asks, then the intake starts waiting for the write lock); ahead (asks, then needs an
/// outside read that <see cref="PreReadAsync"/> did before the batch); ahead-missed (the same, but the read ahead left
/// it out, as a failed call is). It notes for each run whether it ran inside a unit of work.
/// </summary>
public sealed class BatchedHandler(Func<JobQueue> jobs, Func<IntakeGate> gate) : IWebhookHandler
{
    public const string Topic = "test/batched";
    public const string EffectKind = "test.effect";

    public IReadOnlyCollection<string> Topics { get; } = [Topic];

    public bool JoinsBatch => true;

    /// <summary>Cancelled by a crash row: stands for the process going away mid-batch.</summary>
    public CancellationTokenSource? Crash { get; set; }

    /// <summary>Per key, the unit of work its first run was in (null: none).</summary>
    public ConcurrentDictionary<string, UnitOfWork?> FirstUnit { get; } = new();

    /// <summary>Per key, whether each of its runs (in order) was inside a unit of work.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<bool>> Runs { get; } = new();

    public const string OutsideRead = "test.outside";

    /// <summary>Per key, how many times the outside read ran (ahead of a batch or in a row run on its own).</summary>
    public ConcurrentDictionary<string, int> OutsideReads { get; } = new();

    public Task<IReadOnlyList<PreRead>> PreReadAsync(IReadOnlyList<InboxRow> rows, CancellationToken ct)
    {
        var known = new List<PreRead>();
        foreach (var row in rows)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(row.Body);
            var key = doc.RootElement.GetProperty("key").GetString()!;
            if (doc.RootElement.GetProperty("kind").GetString() == "ahead") known.Add(new PreRead(OutsideRead, key, ReadOutside(key)));
        }
        return Task.FromResult<IReadOnlyList<PreRead>>(known);
    }

    private long ReadOutside(string key)
    {
        CallInUnitOfWorkException.ThrowIfInside("A test's outside read");
        return OutsideReads.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    public async Task HandleAsync(WebhookMessage message, CancellationToken ct)
    {
        var key = message.Payload.GetProperty("key").GetString()!;
        var kind = message.Payload.GetProperty("kind").GetString()!;
        Runs.GetOrAdd(key, _ => new()).Enqueue(UnitOfWork.Current is not null);
        FirstUnit.TryAdd(key, UnitOfWork.Current);
        await jobs().EnqueueAsync(EffectKind, key, message.Shop, ct: ct);
        switch (kind)
        {
            case "permanent": throw new PermanentWebhookException("poison row");
            case "transient" when message.Attempt == 1: throw new IOException("a passing failure");
            case "outside": CallInUnitOfWorkException.ThrowIfInside("A test's outside call"); break;
            case "ahead" or "ahead-missed": await UnitOfWork.ReadOnceAsync(OutsideRead, key, () => Task.FromResult(ReadOutside(key))); break;
            case "yield" when message.Attempt == 1: gate().Enter(); break;
            case "crash" when message.Attempt == 1:
                await Crash!.CancelAsync();
                throw new OperationCanceledException(Crash.Token);
        }
    }
}
