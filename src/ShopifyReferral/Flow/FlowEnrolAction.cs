using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Shops;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Flow;

/// <summary>
/// POST /flow/actions/enrol-referrer, the runtime_url of the Flow action "Enrol customer as referrer"
/// (extensions/flow-enrol-referrer). Flow counts only a 200 as done and retries with the same action_run_id, so a
/// run is answered 200 only after the enrolment committed, and a run already done answers 200 again without doing
/// anything (flow_action_runs, keyed by action_run_id). Enrolment itself is once per customer, so a second run id for
/// the same customer keeps the referrer and code they have.
/// </summary>
public static class FlowEnrolAction
{
    public static async Task<Results<Ok<EnrolResult>, ProblemHttpResult>> HandleAsync(
        HttpContext http, WebhookSignature signature, Db db, ShopStore shops, ReferrerService referrers, TimeProvider time)
    {
        var (body, refused) = await FlowApi.ReadSignedAsync(http, signature);
        if (refused is not null) return refused;
        var p = body!.RootElement;
        var runId = FlowApi.Text(p, "action_run_id");
        var shop = FlowApi.Text(p, "shopify_domain")?.ToLowerInvariant();
        if (string.IsNullOrWhiteSpace(runId) || runId.Length > 255) return FlowApi.Problem(400, "invalid-flow-action", "action_run_id is required.");
        if (shop is null || !ShopDomain.IsValid(shop)) return FlowApi.Problem(400, "invalid-shop-domain", "shopify_domain must be a *.myshopify.com domain.");
        if (CustomerId(p) is not { } customerId)
            return FlowApi.Problem(400, "invalid-flow-action", "properties.customer_id must be a customer id or gid://shopify/Customer/… gid.");

        var ct = http.RequestAborted;
        await using (var conn = await db.OpenAsync(ct))
        {
            var done = await conn.QuerySingleOrDefaultAsync<long?>("SELECT referrer_id FROM flow_action_runs WHERE action_run_id = @runId", new { runId });
            if (done is { } doneId) return TypedResults.Ok(new EnrolResult(runId, doneId, AlreadyDone: true));
        }
        if ((await shops.FindAsync(shop, ct))?.Status != "installed")
            return FlowApi.Problem(404, "shop-not-installed", $"{shop} has not installed the app.");
        var referrer = await referrers.EnrolAsync(shop, customerId, null, null, null, ct: ct);
        await using (var conn = await db.OpenAsync(ct))
        {
            try
            {
                await conn.ExecuteAsync("""
                    INSERT INTO flow_action_runs (action_run_id, shop, customer_id, referrer_id, created_at) VALUES (@runId, @shop, @customerId, @id, @now)
                    """, new { runId, shop, customerId, id = referrer.Id, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
            }
            catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
            {
                // The same run, retried while this one was enrolling: enrolment is once per customer, so both are done.
            }
        }
        return TypedResults.Ok(new EnrolResult(runId, referrer.Id, AlreadyDone: false));
    }

    /// <summary>Flow sends a customer_reference as the numeric id; a Customer gid is taken too.</summary>
    private static long? CustomerId(JsonElement p)
    {
        if (!p.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object || !props.TryGetProperty("customer_id", out var v)) return null;
        var text = v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        if (text.StartsWith("gid://shopify/Customer/", StringComparison.Ordinal)) text = text["gid://shopify/Customer/".Length..];
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
    }

    public sealed record EnrolResult(string ActionRunId, long ReferrerId, bool AlreadyDone);
}
