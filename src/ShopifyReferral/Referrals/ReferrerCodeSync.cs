using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Makes pending referrer codes live in Shopify: one code discount per referrer carrying the friend offer of the
/// program version the referrer enrolled under (docs/decisions.md says why one discount per referrer). Looks the
/// code up before creating it, so a crash or a lost response between the two never creates a second discount.
/// Then switches live codes on or off to match their referrer's blocked flag (ReferrerCodeSync.State.cs). Each
/// referrer's code is one job (code.sync), asked for with the enrolment and with each block or unblock.
/// </summary>
public sealed partial class ReferrerCodeSync(
    Db db, ProgramStore programs, IShopifyAdmin shopify, JobsNow now, TimeProvider time, ILogger<ReferrerCodeSync> log) : IAuditedJob
{
    public const string JobKind = "code.sync";

    public string Kind => JobKind;

    public string MissingJobs => $"""
        SELECT CAST(r.id AS VARCHAR(32)), r.shop, COALESCE(r.code_due_at, 0) FROM referrers r
        WHERE (r.code_status = 'pending' OR (r.code_status = 'live' AND r.code_due_at IS NOT NULL)) AND {JobAudit.NoJobWaiting(JobKind, "r.id")}
        """;

    /// <summary>Runs every due code job now: pending codes made live, live codes switched to their wish. Returns how many became live.</summary>
    public Task<int> RunOnceAsync(CancellationToken ct) => now.RunAsync(this, ct);

    /// <summary>One referrer's code: live in Shopify if still pending, then on or off as their blocked flag wishes.</summary>
    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        Referrer? r;
        await using (var conn = await db.OpenAsync(ct))
            r = await conn.QuerySingleOrDefaultAsync<Referrer>($"SELECT {ReferrerService.Columns} FROM referrers WHERE id = @id", new { id = job.SubjectId });
        if (r is null) return JobResult.NothingToDo;
        var becameLive = false;
        if (r.CodeStatus == "pending")
        {
            try
            {
                var (gid, status) = await MakeLiveAsync(r, ct);
                await RecordLiveAsync(r.Id, gid, status, ct);
                becameLive = true;
            }
            catch (Exception ex) when (ex is ShopifyUserErrorException or CodeClashException or FriendProductException)
            {
                await SetStatusAsync(r.Id, "failed", ex.Message, ct); // Shopify said no: retrying will not change that
                return JobResult.NothingToDo;
            }
        }
        var retryAt = await ConvergeAsync(r.Id, job.Owner, ct);
        return retryAt is { } at ? JobResult.Later(at, becameLive) : new JobResult(null, becameLive);
    }

    public Task GiveUpAsync(Job job, string error, CancellationToken ct) =>
        SetErrorAsync(job.SubjectId, error, ct);

    /// <summary>The discount's gid and Shopify status (ACTIVE for a new one).</summary>
    private async Task<(string Gid, string? Status)> MakeLiveAsync(Referrer r, CancellationToken ct)
    {
        // Ours from an earlier attempt whose answer was lost: done. Someone else's (a merchant's own code): a clash.
        if (await shopify.FindDiscountByCodeAsync(r.Shop, r.Code, ct) is { } existing)
        {
            if (IsOurs(existing, r)) return (existing.DiscountGid, existing.Status);
            throw new CodeClashException(r.Code, existing.Title);
        }
        var program = await programs.FindAsync(r.Shop, r.ProgramVersion, ct) ?? await programs.GetActiveAsync(r.Shop, ct);
        var offer = program.Settings.FriendOffer;
        var kind = ProgramSettings.ToKind(offer.Type);
        var product = kind == DiscountKind.FreeProduct ? await FriendProductAsync(r.Shop, offer, ct) : null;
        var spec = new CodeDiscountSpec
        {
            Title = $"Referral {r.Code} ({r.FirstName ?? r.Email ?? r.CustomerId.ToString()})",
            Code = r.Code,
            StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(r.EnrolledAt == 0 ? time.GetUtcNow().ToUnixTimeMilliseconds() : r.EnrolledAt),
            Kind = kind,
            Value = RewardTypes.ShopifyValue(kind, product?.Price ?? offer.Value),
            ProductGid = product?.Gid,
            MinimumSubtotal = offer.MinimumSubtotal,
            AppliesOncePerCustomer = offer.OncePerCustomer,
            CombinesWith = new(offer.CombinesWithOrderDiscounts, offer.CombinesWithProductDiscounts, offer.CombinesWithShippingDiscounts),
        };
        try
        {
            var created = await shopify.CreateCodeDiscountAsync(r.Shop, spec, ct);
            return (created.DiscountGid, created.Status);
        }
        catch (ShopifyUserErrorException ex) when (ex.UserErrors.Any(e => e.Code == "TAKEN"))
        {
            // Our own earlier attempt may have landed after all (its answer was lost); anything else is a clash.
            var found = await shopify.FindDiscountByCodeAsync(r.Shop, r.Code, ct);
            if (found is null || !IsOurs(found, r)) throw new CodeClashException(r.Code, found?.Title);
            return (found.DiscountGid, found.Status);
        }
    }

    /// <summary>The title is ours: "Referral {code} (…)"; a merchant's discount with the same code is not.</summary>
    private static bool IsOurs(FoundDiscount d, Referrer r) => d.Title?.StartsWith($"Referral {r.Code} ", StringComparison.Ordinal) == true;

    private async Task SetErrorAsync(long id, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE referrers SET code_status = CASE WHEN code_status = 'pending' THEN 'failed' ELSE code_status END, code_error = @error WHERE id = @id", new { id, error });
    }

    private async Task SetStatusAsync(long id, string status, string? error, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("UPDATE referrers SET code_status = @status, code_error = @error WHERE id = @id", new { id, status, error });
    }

    /// <summary>Live, with what Shopify answered; due for a state change at once if the referrer was blocked meanwhile.</summary>
    private async Task RecordLiveAsync(long id, string gid, string? status, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync($"""
            UPDATE referrers SET code_status = 'live', code_error = NULL, code_gid = @gid, code_shopify_state = @state,
                code_due_at = {DueIfWishDiffers}
            WHERE id = @id
            """, new { id, gid, state = StateOf(status), now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }
}

/// <summary>The code already belongs to a discount the app did not create; retrying cannot fix that.</summary>
public sealed class CodeClashException(string code, string? title)
    : Exception($"The code {code} already belongs to another discount in Shopify{(title is null ? "" : $" (\"{title}\")")}; enrol this customer with another code.");
