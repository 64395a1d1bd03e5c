using System.Data.Common;
using System.Text.Json;
using Dapper;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Events;

/// <summary>
/// Writes an event in the caller's transaction: the event, and for every endpoint of the shop subscribed to its type a
/// delivery row and its event.deliver job. Callers record an event only when their change happened (row count 1), so
/// the outbox never tells of a change that did not commit, and never misses one that did.
/// </summary>
public sealed class EventOutbox(JobQueue jobs, TimeProvider time)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Records one event; <paramref name="data"/> is serialised with snake_case names. Returns the event id.</summary>
    public async Task<string> RecordAsync(DbConnection conn, DbTransaction tx, string shop, string type, object data)
    {
        if (!EventTypes.All.Contains(type)) throw new ArgumentException($"Unknown event type '{type}'.", nameof(type));
        var now = time.GetUtcNow();
        // Time-ordered, so ids sort roughly as the events happened; unique without asking the database.
        var id = "evt_" + Guid.CreateVersion7(now).ToString("N");
        var ms = now.ToUnixTimeMilliseconds();
        await conn.ExecuteAsync("INSERT INTO events (id, shop, type, occurred_at, data) VALUES (@id, @shop, @type, @ms, @data)",
            new { id, shop, type, ms, data = JsonSerializer.Serialize(data, Json) }, tx);
        // Counted as written: a transaction that then rolls back (a crash, a lost race) may count once too often.
        Operations.AppMetrics.Event(type);
        var endpoints = await Data.UnitOfWork.ReadOnceAsync("event_endpoints", shop, async () =>
            (await conn.QueryAsync<(long Id, string Types)>("SELECT id, types FROM event_endpoints WHERE shop = @shop", new { shop }, tx)).AsList());
        foreach (var (endpoint, types) in endpoints)
        {
            if (!EndpointTypes.Parse(types).Contains(type)) continue;
            var delivery = await conn.ExecuteScalarAsync<long>(InsertDelivery, new { shop, id, endpoint, ms }, tx);
            await jobs.EnqueueAsync(conn, tx, EventDelivery.JobKind, delivery, shop);
        }
        await Flow.FlowTriggerJob.EnqueueAsync(jobs, conn, tx, shop, id, type); // a Flow trigger the shop has a workflow on
        return id;
    }

    // Inserted, then read back by its UNIQUE key: the same text on every provider.
    private const string InsertDelivery = """
        INSERT INTO event_deliveries (shop, event_id, endpoint_id, status, attempts, created_at) VALUES (@shop, @id, @endpoint, 'pending', 0, @ms);
        SELECT id FROM event_deliveries WHERE event_id = @id AND endpoint_id = @endpoint
        """;
}

/// <summary>An endpoint's types as stored: space-separated.</summary>
internal static class EndpointTypes
{
    public static IReadOnlyList<string> Parse(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Format(IEnumerable<string> types) => string.Join(' ', types.Distinct(StringComparer.Ordinal));
}
