using System.Data.Common;
using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Merchant;

public sealed record ReferralRow
{
    public long Id { get; init; }
    public long OrderId { get; init; }
    public string? OrderName { get; init; }
    public long ReferrerId { get; init; }
    public string Code { get; init; } = "";
    public string? ReferrerEmail { get; init; }
    public string? ReferrerFirstName { get; init; }
    public string? ReferrerLastName { get; init; }
    public string? FriendEmail { get; init; }
    public long? FriendCustomerId { get; init; }
    public int ProgramVersion { get; init; }
    public string Status { get; init; } = "";
    public string? StatusReason { get; init; }
    public string? Currency { get; init; }

    [JsonIgnore]
    public long? OrderSubtotalMinor { get; init; }

    /// <summary>As Shopify writes amounts: a decimal string with the currency's decimals ("43.20").</summary>
    public string? OrderSubtotal => OrderSubtotalMinor is { } m ? Money.Format(m, Currency) : null;
    [JsonConverter(typeof(UnixMsJson))] public long? PaidAt { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long? HoldUntil { get; init; }
    [JsonConverter(typeof(UnixMsJson))] public long CreatedAt { get; init; }
    public IReadOnlyList<CheckRow> Checks { get; set; } = [];

    /// <summary>Every status change, oldest first: who or what decided, when, what and why.</summary>
    public IReadOnlyList<Decision> Decisions { get; set; } = [];
}

public sealed record CheckRow
{
    public long ReferralId { get; init; }
    public string Rule { get; init; } = "";
    public string Outcome { get; init; } = "";
    public string Evidence { get; init; } = "";
}

public sealed record ReviewRequest(string? Reason);

/// <summary>Referrals with each rule's outcome and evidence and their decision history; the review queue is status=review.</summary>
public static class ReferralsApi
{
    private static readonly HashSet<string> Statuses = ["pending", "review", "approved", "rewarded", "rejected", "voided"];

    public static RouteGroupBuilder MapReferralsApi(this RouteGroupBuilder api)
    {
        var referrals = api.MapGroup("/referrals").WithTags("Referrals");
        referrals.MapGet("", List).WithSummary("Referrals, newest first, with each rule's outcome and evidence (status=review is the review queue)")
            .Produces<List<ReferralRow>>();
        referrals.MapGet("/{id:long}", One).WithSummary("One referral: the order, each rule's decision and evidence, the decision history")
            .Produces<ReferralRow>().ProducesProblem(StatusCodes.Status404NotFound);
        referrals.MapPost("/{id:long}/approve", Approve).WithSummary("Approve a referral held for review; the reward follows after the hold")
            .Produces<ReferralRow>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        referrals.MapPost("/{id:long}/reject", Reject).WithSummary("Reject a referral, with a reason; final")
            .Produces<ReferralRow>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> List(HttpContext http, Db db, string? status, string? from, string? to, long? referrerId, int? limit)
    {
        if (status is not null && !Statuses.Contains(status))
            return Problems.Invalid("status", $"One of {string.Join(", ", Statuses)}.");
        if (referrerId is <= 0) return Problems.Invalid("referrerId", "A referrer id (GET /api/referrers) is a positive number.");
        if (!DateRange.TryParse(from, to, out var range, out var problem)) return problem!;
        await using var conn = await db.OpenAsync(http.RequestAborted);
        var rows = (await conn.QueryAsync<ReferralRow>(db.FirstRows($"""
            SELECT {ReferralSelect.Columns} {ReferralSelect.From}
            WHERE x.shop = @shop AND (@status IS NULL OR x.status = @status) AND (@referrerId IS NULL OR x.referrer_id = @referrerId)
              AND (@from IS NULL OR x.created_at >= @from) AND (@to IS NULL OR x.created_at < @to)
            ORDER BY x.id DESC
            """), new
        {
            shop = http.ShopSession().Shop, status, referrerId, from = range.StartMs, to = range.EndMs,
            limit = Math.Clamp(limit ?? 100, 1, 500),
        })).AsList();
        return TypedResults.Ok(await ReferralSelect.WithDetailsAsync(conn, rows));
    }

    private static async Task<IResult> One(long id, HttpContext http, Db db)
    {
        await using var conn = await db.OpenAsync(http.RequestAborted);
        var row = await FindAsync(conn, id, http);
        return row is null ? Problems.NotFound($"No referral {id} in this shop.") : TypedResults.Ok((await ReferralSelect.WithDetailsAsync(conn, [row]))[0]);
    }

    private static Task<ReferralRow?> FindAsync(DbConnection conn, long id, HttpContext http) =>
        conn.QuerySingleOrDefaultAsync<ReferralRow>(
            $"SELECT {ReferralSelect.Columns} {ReferralSelect.From} WHERE x.id = @id AND x.shop = @shop", new { id, shop = http.ShopSession().Shop });

    // The engine's ReferralReview owns the transition: approval puts the referral back on its hold (the reward
    // worker issues the reward once the hold is over, at once when it already is); rejection is final.
    private static async Task<IResult> Approve(long id, ReviewRequest? body, HttpContext http, ReferralReview review, Db db) =>
        await Decide(id, http, db, await review.ApproveAsync(http.ShopSession().Shop, id, body?.Reason, http.RequestAborted), "approved");

    private static async Task<IResult> Reject(long id, ReviewRequest? body, HttpContext http, ReferralReview review, Db db)
    {
        if (string.IsNullOrWhiteSpace(body?.Reason)) return Problems.Invalid("reason", "A rejection needs a reason: {\"reason\": \"...\"}.");
        return await Decide(id, http, db, await review.RejectAsync(http.ShopSession().Shop, id, body.Reason, http.RequestAborted), "rejected");
    }

    private static async Task<IResult> Decide(long id, HttpContext http, Db db, bool changed, string verb)
    {
        await using var conn = await db.OpenAsync(http.RequestAborted);
        var row = await FindAsync(conn, id, http);
        if (row is null) return Problems.NotFound($"No referral {id} in this shop.");
        // The same shape as the list, checks, evidence and decisions included, so a client can replace the row it shows.
        return changed ? TypedResults.Ok((await ReferralSelect.WithDetailsAsync(conn, [row]))[0])
            : Problems.Conflict($"Referral {id} is {row.Status} and cannot be {verb} now.");
    }
}

internal static class ReferralSelect
{
    public const string Columns = """
        x.id, x.order_id, x.order_name, x.referrer_id, x.code, r.email AS referrer_email,
        r.first_name AS referrer_first_name, r.last_name AS referrer_last_name, x.friend_email, x.friend_customer_id,
        x.program_version, x.status, x.status_reason, x.currency, x.order_subtotal_minor, x.paid_at, x.hold_until, x.created_at
        """;

    public const string From = "FROM referrals x JOIN referrers r ON r.id = x.referrer_id";

    /// <summary>Each rule's outcome and the decision history, two queries for the whole page.</summary>
    public static async Task<List<ReferralRow>> WithDetailsAsync(DbConnection conn, List<ReferralRow> rows)
    {
        if (rows.Count == 0) return rows;
        var ids = rows.Select(r => r.Id).ToArray();
        var checks = (await conn.QueryAsync<CheckRow>(
            $"""SELECT referral_id, "rule", outcome, evidence FROM referral_checks WHERE {SqlDialect.Of(conn).InList("referral_id", "@ids")} ORDER BY referral_id, "rule" """,
            new { ids })).ToLookup(c => c.ReferralId);
        var decisions = await ReferralDecisions.OfAsync(conn, ids);
        foreach (var r in rows)
        {
            r.Checks = [.. checks[r.Id]];
            r.Decisions = [.. decisions[r.Id]];
        }
        return rows;
    }
}
