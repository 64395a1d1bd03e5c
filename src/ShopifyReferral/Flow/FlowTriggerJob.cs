using System.Data.Common;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Flow;

/// <summary>
/// Job flow.trigger, one per event and trigger (subject "evt_…:handle", asked for in the event's own transaction when
/// the shop has a workflow on that trigger): sends it with flowTriggerReceive, at most once. The send is written
/// in_flight (UNIQUE per event and trigger, a durable commit) before the call, so of two instances only the one whose
/// insert won calls Flow, and a send whose answer was lost is never repeated (Flow has no key to find it by).
/// A trigger switched off since is not sent.
/// </summary>
public sealed class FlowTriggerJob(Db db, ShopifyGraphQL graphQL, TimeProvider time, ILogger<FlowTriggerJob> log) : IJobHandler
{
    public const string JobKind = "flow.trigger";

    public string Kind => JobKind;

    /// <summary>Asks for the trigger's job when the shop has it on (called by the outbox in the event's transaction).</summary>
    public static async Task EnqueueAsync(JobQueue jobs, DbConnection conn, DbTransaction tx, string shop, string eventId, string type)
    {
        if (FlowTriggers.ForEvent(type) is not { } trigger) return;
        if (await Data.UnitOfWork.ReadOnceAsync("flow_triggers", shop + " " + trigger.Handle, () => conn.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM flow_triggers WHERE shop = @shop AND handle = @handle AND enabled = 1", new { shop, handle = trigger.Handle }, tx)) > 0)
            await jobs.EnqueueAsync(conn, tx, JobKind, $"{eventId}:{trigger.Handle}", shop);
    }

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var (eventId, handle) = (job.Subject[..job.Subject.IndexOf(':', StringComparison.Ordinal)], job.Subject[(job.Subject.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        if (FlowTriggers.ByHandle(handle) is not { } trigger) return JobResult.NothingToDo;
        string? data;
        await using (var conn = await db.OpenAsync(ct))
        {
            if (await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM flow_sends WHERE event_id = @eventId AND handle = @handle", new { eventId, handle }) > 0)
                return JobResult.NothingToDo; // sent, failed, or in flight: never sent again
            if (await conn.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM flow_triggers WHERE shop = @shop AND handle = @handle AND enabled = 1",
                    new { shop = job.Shop, handle }) == 0)
                return JobResult.NothingToDo; // the merchant turned the workflow off since
            data = await conn.ExecuteScalarAsync<string>("SELECT data FROM events WHERE id = @eventId", new { eventId });
        }
        if (data is null) return JobResult.NothingToDo;
        if (!await MarkInFlightAsync(job.Shop, eventId, handle, ct)) return JobResult.NothingToDo; // another instance took it
        using var parsed = JsonDocument.Parse(data);
        var variables = new System.Text.Json.Nodes.JsonObject { ["handle"] = handle, ["payload"] = trigger.Payload(parsed.RootElement) };
        try
        {
            var response = await graphQL.ExecuteAsync(job.Shop, nameof(AdminDocuments.FlowTriggerReceive), AdminDocuments.FlowTriggerReceive,
                variables, ct, idempotent: false);
            var errors = response.Data.GetProperty("flowTriggerReceive").GetProperty("userErrors");
            if (errors.GetArrayLength() > 0)
            {
                var why = string.Join("; ", errors.EnumerateArray().Select(e => e.GetProperty("message").GetString()));
                await FinishAsync(eventId, handle, "failed", $"Flow refused the trigger: {why}", ct);
                return JobResult.NothingToDo;
            }
        }
        catch (Exception ex) when (NeverReachedShopify(ex))
        {
            await ForgetAsync(eventId, handle, ct); // nothing was sent: the retry may send it
            throw;
        }
        catch (Exception ex) when (ShopCallFailure.Is(ex, ct))
        {
            log.LogWarning(ex, "Flow trigger {Handle} for {Event} of {Shop}: outcome unknown, not sent again", handle, eventId, job.Shop);
            await FinishAsync(eventId, handle, "failed", $"The outcome is unknown ({ex.Message}); it is not sent again.", ct);
            return JobResult.NothingToDo;
        }
        await FinishAsync(eventId, handle, "sent", null, ct);
        return JobResult.Done;
    }

    private static bool NeverReachedShopify(Exception ex) =>
        ex is ShopifyThrottledException or ShopifyHttpException { Status: System.Net.HttpStatusCode.TooManyRequests } or ShopifyOAuthException
            or ShopNotInstalledException;

    private async Task<bool> MarkInFlightAsync(string shop, string eventId, string handle, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(SqliteUse.Durable, ct);
        try
        {
            await conn.ExecuteAsync("""
                INSERT INTO flow_sends (shop, event_id, handle, status, created_at) VALUES (@shop, @eventId, @handle, 'in_flight', @now)
                """, new { shop, eventId, handle, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
            return true;
        }
        catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            return false;
        }
    }

    private async Task FinishAsync(string eventId, string handle, string status, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE flow_sends SET status = @status, error = @error, sent_at = @now WHERE event_id = @eventId AND handle = @handle",
            new { eventId, handle, status, error, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    private async Task ForgetAsync(string eventId, string handle, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("DELETE FROM flow_sends WHERE event_id = @eventId AND handle = @handle AND status = 'in_flight'", new { eventId, handle });
    }
}
