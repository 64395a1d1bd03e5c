using Dapper;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Blocking: the merchant's request only sets referrers.blocked and marks the row due (code_due_at). Here each due
/// row is claimed with a lease, so one sync at a time changes a code (two instances applying different wishes could
/// otherwise land in Shopify in the wrong order), then deactivated or activated in Shopify outside any transaction,
/// and what Shopify answered is recorded. Recording re-reads the wish, so a block undone while the call was in flight
/// leaves the row due again and the next round switches the code back. Both mutations set a state, so repeating one
/// after a crash or a lost answer is harmless; a code already in the wished state costs no call at all.
/// </summary>
public sealed partial class ReferrerCodeSync
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>After Shopify refused (the discount was deleted, say), ask again this much later; the dashboard shows the error.</summary>
    public static readonly TimeSpan RefusedRetry = TimeSpan.FromHours(1);

    // Due now when the wish (blocked) differs from the state being recorded as Shopify's; else nothing left to do.
    private const string DueIfWishDiffers =
        "CASE WHEN (blocked = 1 AND @state = 'active') OR (blocked = 0 AND @state = 'inactive') THEN @now ELSE NULL END";

    /// <summary>Test hook: runs after Shopify changed a code's state and before that is recorded (a crash point).</summary>
    internal Func<long, Task>? AfterStateCall { get; set; }

    /// <summary>
    /// Switches the referrer's code on or off to match their blocked flag, if the row is due (its wish differs from
    /// what Shopify last said). Null when done; else when to try again (Shopify refused: the dashboard shows why). A
    /// failure that may pass (a timeout, no token) releases the row and surfaces to the job runner, which retries.
    /// </summary>
    private async Task<DateTimeOffset?> ConvergeAsync(long id, string owner, CancellationToken ct)
    {
        if (await ClaimDueAsync(id, owner, ct) is not { } r) return await DueLaterAsync(id, ct);
        try
        {
            await ApplyAsync(r, owner, ct);
            return null;
        }
        catch (Exception ex) when (ex is ShopifyUserErrorException or CodeClashException or CodeGoneException)
        {
            await ReleaseAsync(r.Id, owner, ex.Message, RefusedRetry, ct);
            return time.GetUtcNow() + RefusedRetry;
        }
        catch (Exception ex) when (ShopCallFailure.Is(ex, ct))
        {
            log.LogWarning(ex, "Code {Code} of {Shop} not switched {State} yet; retrying", r.Code, r.Shop, r.Blocked ? "off" : "on");
            await ReleaseAsync(r.Id, owner, null, TimeSpan.Zero, ct);
            throw;
        }
    }

    private async Task ApplyAsync(Referrer r, string owner, CancellationToken ct)
    {
        var wanted = r.Blocked ? "inactive" : "active";
        var state = r.CodeShopifyState ?? "active";
        var gid = r.CodeGid;
        var called = state != wanted;
        if (called)
        {
            gid ??= await FindOursAsync(r, ct);
            var after = r.Blocked
                ? await shopify.DeactivateDiscountAsync(r.Shop, gid, ct)
                : await shopify.ActivateDiscountAsync(r.Shop, gid, ct);
            state = StateOf(after.Status);
            if (AfterStateCall is { } hook) await hook(r.Id);
        }
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync($"""
            UPDATE referrers SET code_gid = @gid, code_shopify_state = @state, code_error = NULL, code_lease_owner = NULL,
                code_due_at = {DueIfWishDiffers}
            WHERE id = @id AND code_lease_owner = @owner
            """, new { id = r.Id, owner, gid, state, now = time.GetUtcNow().ToUnixTimeMilliseconds() });
    }

    /// <summary>Codes made live before migration 0031 have no gid stored: find the discount by its code, ours only.</summary>
    private async Task<string> FindOursAsync(Referrer r, CancellationToken ct)
    {
        var found = await shopify.FindDiscountByCodeAsync(r.Shop, r.Code, ct) ?? throw new CodeGoneException(r.Code);
        return IsOurs(found, r) ? found.DiscountGid : throw new CodeClashException(r.Code, found.Title);
    }

    private static string StateOf(string? shopifyStatus) => shopifyStatus == "ACTIVE" ? "active" : "inactive";

    private async Task<Referrer?> ClaimDueAsync(long id, string owner, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        // A conditional update: two syncs never both win the row; an expired lease is taken over.
        var won = await conn.ExecuteAsync("""
            UPDATE referrers SET code_lease_owner = @owner, code_due_at = @until
            WHERE id = @id AND code_due_at <= @now AND code_status = 'live'
            """, new { id, owner, now, until = now + (long)Lease.TotalMilliseconds }) == 1;
        return won ? await conn.QuerySingleAsync<Referrer>($"SELECT {ReferrerService.Columns} FROM referrers WHERE id = @id", new { id }) : null;
    }

    /// <summary>Not due now: another sync holds the row until its lease ends (then this job looks again), or nothing is left to do.</summary>
    private async Task<DateTimeOffset?> DueLaterAsync(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var due = await conn.ExecuteScalarAsync<long?>("SELECT code_due_at FROM referrers WHERE id = @id AND code_status = 'live'", new { id });
        return due is { } d ? DateTimeOffset.FromUnixTimeMilliseconds(d) : null;
    }

    private async Task ReleaseAsync(long id, string owner, string? error, TimeSpan retryIn, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("""
            UPDATE referrers SET code_lease_owner = NULL, code_due_at = @due, code_error = COALESCE(@error, code_error)
            WHERE id = @id AND code_lease_owner = @owner
            """, new { id, owner, error, due = (time.GetUtcNow() + retryIn).ToUnixTimeMilliseconds() });
    }
}

/// <summary>The code's discount is no longer in Shopify (deleted in the admin?), so it cannot be switched on or off.</summary>
public sealed class CodeGoneException(string code)
    : Exception($"The code {code} is no longer in Shopify (was its discount deleted?); it cannot be switched on or off.");
