using ShopifyReferral.Data;

namespace ShopifyReferral.Webhooks;

/// <summary>
/// One unit of work per claimed batch: the order deliveries of a batch are handled in one transaction, together with
/// their inbox outcomes, so a batch costs one commit instead of about five per order. Each row runs in its own
/// savepoint: a row that fails is undone alone and its retry is recorded with the others' effects. What the rows will
/// ask Shopify is asked before the transaction (<see cref="IWebhookHandler.PreReadAsync"/>); a row that still needs
/// Shopify is undone and runs on its own after the commit (Shopify is never called inside a transaction). A crash
/// before the commit loses nothing accepted: the rows stay claimed and run again when the lease runs out.
/// </summary>
public sealed partial class WebhookProcessor
{
    /// <summary>The status of a row undone in the batch and left for the one-at-a-time pass.</summary>
    private const string Deferred = "deferred";

    /// <summary>Handles the rows that may share a transaction; returns those still to be handled one at a time.</summary>
    private async Task<IReadOnlyList<InboxRow>> RunInOneTransactionAsync(IReadOnlyList<InboxRow> rows, string owner, CancellationToken ct)
    {
        var joining = rows.Where(r => _byTopic.TryGetValue(r.Topic, out var h) && h.JoinsBatch).ToList();
        if (joining.Count < 2) return rows; // nothing to share a commit with
        var left = rows.Except(joining).ToList();
        var known = await PreReadAsync(joining, ct);
        var next = 0;
        while (next < joining.Count)
        {
            // The intake waits for the write lock: its commit (which a 200 waits for) goes before this unit.
            if (gate.Waiting) await Task.WhenAny(gate.WhenClearAsync(), Task.Delay(IntakeWait, ct));
            var deferred = new List<InboxRow>();
            int end;
            try
            {
                end = await RunUnitAsync(joining, next, owner, known, deferred, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Nothing of this unit committed, so its rows and the ones after it are still ours: one at a time.
                log.LogWarning(ex, "A transaction of webhook batch {Owner} failed; its {Count} remaining rows are handled one at a time", owner, joining.Count - next);
                return [.. left, .. joining.Skip(next)];
            }
            jobSignal.Notify(); // the jobs the unit asked for are visible only now
            left.AddRange(deferred);
            next = end;
        }
        return left;
    }

    /// <summary>
    /// What the batch's handlers will ask Shopify for, asked now, before any transaction begins (the lease's heartbeat
    /// runs meanwhile). A handler whose reads fail gets none: its rows then ask on their own, as before.
    /// </summary>
    private async Task<IReadOnlyList<PreRead>> PreReadAsync(List<InboxRow> rows, CancellationToken ct)
    {
        var known = new List<PreRead>();
        foreach (var group in rows.GroupBy(r => _byTopic[r.Topic]))
        {
            try
            {
                known.AddRange(await group.Key.PreReadAsync([.. group], ct));
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                log.LogWarning(ex, "Reading ahead for {Count} webhooks ({Handler}) failed; they ask on their own", group.Count(), group.Key.GetType().Name);
            }
        }
        return known;
    }

    /// <summary>At most this long a loop lets a waiting intake commit go first.</summary>
    private static readonly TimeSpan IntakeWait = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// One transaction over rows from <paramref name="start"/> on, until they are done or the intake waits for the write
    /// lock and the unit has had its slice (Webhooks:IntakeYieldAfter); returns where the next unit starts.
    /// </summary>
    private async Task<int> RunUnitAsync(
        List<InboxRow> rows, int start, string owner, IReadOnlyList<PreRead> known, List<InboxRow> deferred, CancellationToken ct)
    {
        var (lease, slice) = (options.Value.LeaseDuration, options.Value.IntakeYieldAfter);
        var began = time.GetTimestamp();
        await using var unit = await db.BeginUnitOfWorkAsync(ct);
        unit.Know(known);
        using var entered = unit.Enter();
        var done = new List<long>();
        var i = start;
        do
        {
            var row = rows[i++];
            if (!await inbox.TouchAsync(row.Id, owner, time.GetUtcNow() + lease, ct))
            {
                log.LogWarning("Webhook {Id} ({Topic}) was taken over by another worker after a lapsed lease; not handled here", row.Id, row.Topic);
                continue;
            }
            await ProcessAsync(row, owner, done, (r, t) => DispatchInUnitAsync(unit, r, deferred, t), ct);
        }
        while (i < rows.Count && !(gate.Waiting && time.GetElapsedTime(began) >= slice));
        var recorded = await inbox.FinishManyAsync(done, owner, "done", time.GetUtcNow());
        if (recorded < done.Count)
            log.LogWarning("{Lost} of {Count} webhooks of lease {Owner} ran out while being handled; their outcome was not recorded", done.Count - recorded, done.Count, owner);
        await unit.CommitAsync(ct);
        return i;
    }

    private async Task<(string Status, string? Note)> DispatchInUnitAsync(UnitOfWork unit, InboxRow row, List<InboxRow> deferred, CancellationToken ct)
    {
        var savepoint = await unit.SaveAsync(ct);
        try
        {
            var outcome = await DispatchAsync(row, ct);
            await unit.ReleaseAsync(savepoint, ct);
            return outcome;
        }
        catch (Exception ex)
        {
            try
            {
                await unit.RollbackToAsync(savepoint, CancellationToken.None);
            }
            catch (Exception rollback)
            {
                throw new BrokenUnitException(rollback);
            }
            if (!CallInUnitOfWorkException.IsIn(ex)) throw; // its outcome (retry, failed, parked) is recorded in the batch
            deferred.Add(row);
            return (Deferred, null);
        }
    }
}

/// <summary>A row's savepoint could not be rolled back: the batch's transaction is unusable and is given up whole.</summary>
internal sealed class BrokenUnitException(Exception inner)
    : Exception("The batch's transaction could not undo a failed row.", inner);
