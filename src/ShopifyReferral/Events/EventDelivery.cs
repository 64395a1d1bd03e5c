using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Events;

/// <summary>
/// Job event.deliver, one per delivery (an event to one endpoint): POSTs the event signed by the Standard Webhooks
/// convention. A 2xx answer delivers it; any other answer, a timeout or a refused address is a failed attempt, retried
/// by the runner on this kind's own schedule (Events:*, at least a day by default) with the same webhook-id each time,
/// then given up as failed. A deleted endpoint ends its deliveries. While the shop has not installed the app (or
/// uninstalled it) the delivery is parked, no attempt spent, and resumes if the shop installs again.
/// </summary>
public sealed class EventDelivery(
    Db db, IHttpClientFactory clients, EndpointSecrets secrets, ShopStore shops, IOptions<EventOptions> options, TimeProvider time, ILogger<EventDelivery> log)
    : IAuditedJob
{
    public const string JobKind = "event.deliver";
    public const string HttpClientName = "events";

    public string Kind => JobKind;

    // No Shopify call; the shop's install is checked here, since a needs_reauth shop still gets its events.
    public bool NeedsShop => false;

    public JobRetry Retry => options.Value.Retry;

    // A delivery still to make whose job is gone (a restore from backup): the audit asks for it again.
    public string MissingJobs => $"""
        SELECT CAST(d.id AS VARCHAR(32)), d.shop, 0 FROM event_deliveries d
        WHERE d.status = 'pending' AND {JobAudit.NoJobWaiting(JobKind, "d.id")}
        """;

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        Pending? d;
        await using (var conn = await db.OpenAsync(ct))
            d = await conn.QuerySingleOrDefaultAsync<Pending>("""
                SELECT d.id, d.shop, d.status, e.id AS event_id, e.type, e.occurred_at, e.data, p.id AS endpoint_id, p.url, p.secret
                FROM event_deliveries d JOIN events e ON e.id = d.event_id LEFT JOIN event_endpoints p ON p.id = d.endpoint_id
                WHERE d.id = @id
                """, new { id = job.SubjectId });
        if (d is null || d.Status != "pending") return JobResult.NothingToDo;
        if (d.EndpointId is null)
        {
            await RecordAsync(d.Id, "cancelled", null, "The endpoint was deleted.", ct);
            return JobResult.NothingToDo;
        }
        if ((await shops.FindAsync(d.Shop, ct))?.Status is var status and (null or "uninstalled"))
        {
            var why = status is null ? "the shop never installed the app" : "the shop uninstalled the app";
            await RecordAsync(d.Id, "pending", null, $"Parked: {why}; sent if it installs again.", ct, countAttempt: false);
            throw new ShopNotInstalledException(d.Shop, why);
        }

        var body = Body(d);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", d.EventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", EventSignature.Sign(secrets.Unprotect(d.Secret!), d.EventId, timestamp, body));
        int? code = null;
        string error;
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await RecordAsync(d.Id, "delivered", code, null, ct);
                return JobResult.Done;
            }
            error = $"HTTP {code} {response.ReasonPhrase}".TrimEnd();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error = ex.InnerException is EndpointRefusedException refused ? refused.Message
                : ex is TaskCanceledException ? $"No answer within {options.Value.RequestTimeout.TotalSeconds:0.#} s."
                : ex.Message;
        }
        await RecordAsync(d.Id, "pending", code, error, ct);
        log.LogInformation("Event {Event} to endpoint {Endpoint} of {Shop} failed: {Error}", d.EventId, d.EndpointId, d.Shop, error);
        throw new EventDeliveryException(error);
    }

    public Task GiveUpAsync(Job job, string error, CancellationToken ct) => RecordAsync(job.SubjectId, "failed", null, error, ct, countAttempt: false, keepStatus: true);

    /// <summary>The bytes sent: the same for every attempt, built from the stored event.</summary>
    internal static byte[] Body(string id, string type, long occurredAt, string shop, string data) =>
        Encoding.UTF8.GetBytes(new JsonObject
        {
            ["id"] = id,
            ["type"] = type,
            ["occurred_at"] = DateTimeOffset.FromUnixTimeMilliseconds(occurredAt).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["shop"] = shop,
            ["data"] = JsonNode.Parse(data),
        }.ToJsonString());

    private static byte[] Body(Pending d) => Body(d.EventId, d.Type, d.OccurredAt, d.Shop, d.Data);

    private async Task RecordAsync(long id, string status, int? code, string? error, CancellationToken ct, bool countAttempt = true, bool keepStatus = false)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        // Only a pending delivery moves: a replay or a deleted endpoint meanwhile is not overwritten by a stale attempt.
        await conn.ExecuteAsync("""
            UPDATE event_deliveries SET status = @status, attempts = attempts + @count, last_error = @error,
                last_status = CASE WHEN @keep = 1 THEN last_status ELSE @code END,
                last_attempt_at = CASE WHEN @count = 1 THEN @now ELSE last_attempt_at END,
                delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE delivered_at END
            WHERE id = @id AND status = 'pending'
            """, new { id, status, code, error, now, count = countAttempt ? 1 : 0, keep = keepStatus ? 1 : 0 });
    }

    private sealed record Pending
    {
        public long Id { get; init; }
        public string Shop { get; init; } = "";
        public string Status { get; init; } = "";
        public string EventId { get; init; } = "";
        public string Type { get; init; } = "";
        public long OccurredAt { get; init; }
        public string Data { get; init; } = "";
        public long? EndpointId { get; init; }
        public string? Url { get; init; }
        public string? Secret { get; init; }
    }
}

/// <summary>An attempt the endpoint did not accept: the runner retries it.</summary>
public sealed class EventDeliveryException(string message) : Exception(message);

/// <summary>Endpoint secrets at rest: encrypted with the app's Data Protection key ring, like shop tokens.</summary>
public sealed class EndpointSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("ShopifyReferral.Events.EndpointSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
