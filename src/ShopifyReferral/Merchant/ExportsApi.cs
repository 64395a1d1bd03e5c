using System.Globalization;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Merchant;

namespace ShopifyReferral.Merchant;

/// <summary>
/// CSV exports of every referral and every reward of the shop (or those created from/to, see <see cref="DateRange"/>),
/// streamed row by row from an unbuffered query, so a shop with a million referrals costs one row of memory, not a million.
/// </summary>
public static class ExportsApi
{
    public static RouteGroupBuilder MapExportsApi(this RouteGroupBuilder api)
    {
        var exports = api.MapGroup("/export").WithTags("Exports");
        exports.MapGet("/referrals.csv", Referrals).WithSummary("Referrals as CSV").Produces(200, contentType: "text/csv");
        exports.MapGet("/rewards.csv", Rewards).WithSummary("Rewards as CSV").Produces(200, contentType: "text/csv");
        return api;
    }

    private static async Task<IResult> Referrals(HttpContext http, Db db, string? from, string? to)
    {
        if (!DateRange.TryParse(from, to, out var range, out var problem)) return problem!;
        await using var conn = await db.OpenAsync(http.RequestAborted);
        await using var csv = Start(http, "referrals");
        await csv.RowAsync("id", "order_id", "order_name", "referrer_id", "referrer_email", "referrer_first_name", "referrer_last_name",
            "code", "friend_email", "status", "status_reason", "currency", "order_subtotal", "paid_at_utc", "hold_until_utc", "created_at_utc");
        await foreach (var r in conn.QueryUnbufferedAsync<ReferralRow>(
            $"""
            SELECT {ReferralSelect.Columns} {ReferralSelect.From}
            WHERE x.shop = @shop AND (@from IS NULL OR x.created_at >= @from) AND (@to IS NULL OR x.created_at < @to)
            ORDER BY x.id
            """, new { shop = http.ShopSession().Shop, from = range.StartMs, to = range.EndMs }))
            await csv.RowAsync(r.Id, r.OrderId, r.OrderName, r.ReferrerId, r.ReferrerEmail, r.ReferrerFirstName, r.ReferrerLastName,
                r.Code, r.FriendEmail, r.Status, r.StatusReason, r.Currency, Money.FromMinor(r.OrderSubtotalMinor, r.Currency), Csv.Time(r.PaidAt), Csv.Time(r.HoldUntil), Csv.Time(r.CreatedAt));
        return Results.Empty;
    }

    private static async Task<IResult> Rewards(HttpContext http, Db db, TimeProvider time, string? from, string? to)
    {
        if (!DateRange.TryParse(from, to, out var range, out var problem)) return problem!;
        await using var conn = await db.OpenAsync(http.RequestAborted);
        await using var csv = Start(http, "rewards");
        await csv.RowAsync("id", "referrer_id", "referral_id", "customer_id", "email", "first_name", "last_name", "kind", "reward_type",
            "value", "currency", "code", "status", "created_at_utc", "issued_at_utc", "expires_at_utc", "redeemed_at_utc");
        await foreach (var w in conn.QueryUnbufferedAsync<RewardRow>($"""
            {RewardsApi.Select}
            WHERE w.shop = @shop AND (@from IS NULL OR w.created_at >= @from) AND (@to IS NULL OR w.created_at < @to)
            ORDER BY w.id
            """, new { shop = http.ShopSession().Shop, now = time.GetUtcNow().ToUnixTimeMilliseconds(), from = range.StartMs, to = range.EndMs }))
            await csv.RowAsync(w.Id, w.ReferrerId, w.ReferralId, w.CustomerId, w.Email, w.FirstName, w.LastName, w.Kind, w.RewardType,
                w.AmountMinor is { } m ? Money.FromMinor(m, w.Currency) : Amount(w.Percent), w.Currency, w.Code, w.Status, Csv.Time(w.CreatedAt), Csv.Time(w.IssuedAt), Csv.Time(w.ExpiresAt), Csv.Time(w.RedeemedAt));
        return Results.Empty;
    }

    private static Csv Start(HttpContext http, string name)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
        return new Csv(http.Response.Body);
    }

    // Written as numbers so the formula guard never touches a negative one.
    private static decimal? Amount(string? s) => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null;
}
