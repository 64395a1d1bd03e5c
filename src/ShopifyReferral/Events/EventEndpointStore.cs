using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Events;

public sealed record EventEndpoint(long Id, string Url, IReadOnlyList<string> Types, DateTimeOffset CreatedAt, DateTimeOffset? RotatedAt);

public sealed record EventDeliveryView(
    long Id, string EventId, string Type, DateTimeOffset OccurredAt, string Status, int Attempts, int? LastStatus, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>A shop's endpoints and their deliveries; every query is scoped to the shop, the only tenant a caller may touch.</summary>
public sealed class EventEndpointStore(Db db, EndpointSecrets secrets, JobQueue jobs, TimeProvider time)
{
    public const int MaxPerShop = 20;
    private const string Columns = "id, url, types, created_at, rotated_at";

    /// <summary>Registers an endpoint; returns it with its secret (shown only here and at rotation), or null when the shop has too many.</summary>
    public async Task<(EventEndpoint Endpoint, string Secret)?> AddAsync(string shop, string url, IReadOnlyList<string> types, CancellationToken ct)
    {
        var secret = EventSignature.NewSecret();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_endpoints WHERE shop = @shop", new { shop }, tx) >= MaxPerShop) return null;
        // Read back by its ciphertext, unique as the secret it hides: the same text on every provider.
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO event_endpoints (shop, url, types, secret, created_at) VALUES (@shop, @url, @types, @secret, @now);
            SELECT id FROM event_endpoints WHERE shop = @shop AND secret = @secret
            """, new { shop, url, types = EndpointTypes.Format(types), secret = secrets.Protect(secret), now }, tx);
        await tx.CommitAsync(ct);
        return ((await FindAsync(shop, id, ct))!, secret);
    }

    public async Task<IReadOnlyList<EventEndpoint>> ListAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<Row>($"SELECT {Columns} FROM event_endpoints WHERE shop = @shop ORDER BY id", new { shop })).Select(r => r.View).ToList();
    }

    public async Task<EventEndpoint?> FindAsync(string shop, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM event_endpoints WHERE shop = @shop AND id = @id", new { shop, id }))?.View;
    }

    /// <summary>Deletes the endpoint and its secret; its deliveries still waiting end as cancelled. False: no such endpoint.</summary>
    public async Task<bool> DeleteAsync(string shop, long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync("DELETE FROM event_endpoints WHERE shop = @shop AND id = @id", new { shop, id }, tx) == 0) return false;
        await conn.ExecuteAsync("""
            UPDATE event_deliveries SET status = 'cancelled', last_error = 'The endpoint was deleted.' WHERE endpoint_id = @id AND status = 'pending'
            """, new { id }, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>A new secret at once; attempts from now on are signed with it. Null: no such endpoint.</summary>
    public async Task<(EventEndpoint Endpoint, string Secret)?> RotateAsync(string shop, long id, CancellationToken ct)
    {
        var secret = EventSignature.NewSecret();
        await using (var conn = await db.OpenAsync(ct))
            if (await conn.ExecuteAsync("UPDATE event_endpoints SET secret = @secret, rotated_at = @now WHERE shop = @shop AND id = @id",
                    new { shop, id, secret = secrets.Protect(secret), now = time.GetUtcNow().ToUnixTimeMilliseconds() }) == 0)
                return null;
        return ((await FindAsync(shop, id, ct))!, secret);
    }

    /// <summary>The endpoint's latest deliveries, newest first.</summary>
    public async Task<IReadOnlyList<EventDeliveryView>> DeliveriesAsync(string shop, long endpointId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return (await conn.QueryAsync<DeliveryRow>(db.FirstRows("""
            SELECT d.id, d.event_id, e.type, e.occurred_at, d.status, d.attempts, d.last_status, d.last_error, d.last_attempt_at, d.delivered_at
            FROM event_deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.shop = @shop AND d.endpoint_id = @endpointId
            ORDER BY d.id DESC
            """), new { shop, endpointId, limit })).Select(r => r.View).ToList();
    }

    /// <summary>Sends the delivery again (same event, same webhook-id), now. False: no such delivery of this endpoint.</summary>
    public async Task<bool> ReplayAsync(string shop, long endpointId, long deliveryId, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteAsync("""
                UPDATE event_deliveries SET status = 'pending', last_error = NULL
                WHERE id = @deliveryId AND endpoint_id = @endpointId AND shop = @shop
                  AND EXISTS (SELECT 1 FROM event_endpoints p WHERE p.id = @endpointId AND p.shop = @shop)
                """, new { shop, endpointId, deliveryId }, tx) == 0)
            return false;
        await jobs.EnqueueAsync(conn, tx, EventDelivery.JobKind, deliveryId, shop);
        await tx.CommitAsync(ct);
        return true;
    }

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed record Row
    {
        public long Id { get; init; }
        public string Url { get; init; } = "";
        public string Types { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? RotatedAt { get; init; }
        public EventEndpoint View => new(Id, Url, EndpointTypes.Parse(Types), DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), At(RotatedAt));
    }

    private sealed record DeliveryRow
    {
        public long Id { get; init; }
        public string EventId { get; init; } = "";
        public string Type { get; init; } = "";
        public long OccurredAt { get; init; }
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public int? LastStatus { get; init; }
        public string? LastError { get; init; }
        public long? LastAttemptAt { get; init; }
        public long? DeliveredAt { get; init; }
        public EventDeliveryView View => new(Id, EventId, Type, DateTimeOffset.FromUnixTimeMilliseconds(OccurredAt), Status, Attempts, LastStatus,
            LastError, At(LastAttemptAt), At(DeliveredAt));
    }
}
