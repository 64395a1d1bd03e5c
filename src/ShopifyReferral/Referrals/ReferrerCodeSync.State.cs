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

    /// <summary>Switches every due code on or off to match its referrer's blocked flag. Returns how many Shopify changed.</summary>
    public async Task<int> ConvergeAsync(CancellationToken ct)
    {
        var owner = Guid.NewGuid().ToString("N");
        var changed = 0;
        foreach (var r in await ClaimDueAsync(owner, 50, ct))
        {
            try
            {
                if (await ApplyAsync(r, owner, ct)) changed++;
            }
            catch (Exception ex) when (ex is ShopifyUserErrorException or CodeClashException or CodeGoneException)
            {
                await ReleaseAsync(r.Id, owner, ex.Message, RefusedRetry, ct);
            }
            catch (Exception ex) when (ShopCallFailure.Is(ex, ct))
            {
                // A timeout, an error status, no usable token: this code's trouble only, the others go on.
                log.LogWarning(ex, "Code {Code} of {Shop} not switched {State} yet; retrying", r.Code, r.Shop, r.Blocked ? "off" : "on");
                await ReleaseAsync(r.Id, owner, null, TimeSpan.Zero, ct); // the next round tries again
            }
        }
        return changed;
    }

    private async Task<bool> ApplyAsync(Referrer r, string owner, CancellationToken ct)
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
        return called;
    }

    /// <summary>Codes made live before migration 0031 have no gid stored: find the discount by its code, ours only.</summary>
    private async Task<string> FindOursAsync(Referrer r, CancellationToken ct)
    {
        var found = await shopify.FindDiscountByCodeAsync(r.Shop, r.Code, ct) ?? throw new CodeGoneException(r.Code);
        return IsOurs(found, r) ? found.DiscountGid : throw new CodeClashException(r.Code, found.Title);
    }

    private static string StateOf(string? shopifyStatus) => shopifyStatus == "ACTIVE" ? "active" : "inactive";

    private async Task<IReadOnlyList<Referrer>> ClaimDueAsync(string owner, int limit, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        var due = await conn.QueryAsync<long>(db.FirstRows("""
            SELECT r.id FROM referrers r JOIN shops s ON s.shop = r.shop AND s.status = 'installed'
            WHERE r.code_due_at <= @now AND r.code_status = 'live' ORDER BY r.code_due_at, r.id
            """), new { now, limit });
        var claimed = new List<Referrer>();
        foreach (var id in due)
        {
            // A conditional update per row: two syncs never both win the same row; an expired lease is taken over.
            var won = await conn.ExecuteAsync("""
                UPDATE referrers SET code_lease_owner = @owner, code_due_at = @until
                WHERE id = @id AND code_due_at <= @now AND code_status = 'live'
                """, new { id, owner, now, until = now + (long)Lease.TotalMilliseconds }) == 1;
            if (won)
                claimed.Add(await conn.QuerySingleAsync<Referrer>(
                    $"SELECT {ReferrerService.Columns} FROM referrers WHERE id = @id", new { id }));
        }
        return claimed;
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
