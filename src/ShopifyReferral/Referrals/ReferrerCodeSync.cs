using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;
using ShopifyReferral.Shops;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Makes pending referrer codes live in Shopify: one code discount per referrer carrying the friend offer of the
/// program version the referrer enrolled under (docs/decisions.md says why one discount per referrer). Looks the
/// code up before creating it, so a crash or a lost response between the two never creates a second discount.
/// Then switches live codes on or off to match their referrer's blocked flag (ReferrerCodeSync.State.cs).
/// </summary>
public sealed partial class ReferrerCodeSync(
    Db db, ProgramStore programs, IShopifyAdmin shopify, TimeProvider time, ILogger<ReferrerCodeSync> log) : BackgroundService
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Notify()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogError(ex, "Referrer code sync failed; retrying");
            }
            try { await _signal.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Tries every pending code once, then every code whose state differs from the wish. Returns how many became live.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var live = await MakePendingLiveAsync(ct);
        await ConvergeAsync(ct);
        return live;
    }

    private async Task<int> MakePendingLiveAsync(CancellationToken ct)
    {
        List<Referrer> pending;
        await using (var conn = await db.OpenAsync(ct))
            pending = (await conn.QueryAsync<Referrer>("""
                SELECT r.id, r.shop, r.customer_id, r.email, r.first_name, r.last_name, r.code, r.code_status, r.program_version
                FROM referrers r JOIN shops s ON s.shop = r.shop AND s.status = 'installed'
                WHERE r.code_status = 'pending' ORDER BY r.id
                """)).AsList();
        var live = 0;
        foreach (var r in pending)
        {
            try
            {
                var (gid, status) = await MakeLiveAsync(r, ct);
                await RecordLiveAsync(r.Id, gid, status, ct);
                live++;
            }
            catch (Exception ex) when (ex is ShopifyUserErrorException or CodeClashException)
            {
                await SetStatusAsync(r.Id, "failed", ex.Message, ct); // Shopify said no: retrying will not change that
            }
            catch (Exception ex) when (ShopCallFailure.Is(ex, ct))
            {
                // A timeout, an error status, no usable token: this code's trouble only, next round.
                log.LogWarning(ex, "Code {Code} of {Shop} is still pending", r.Code, r.Shop);
            }
        }
        return live;
    }

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
        var spec = new CodeDiscountSpec
        {
            Title = $"Referral {r.Code} ({r.FirstName ?? r.Email ?? r.CustomerId.ToString()})",
            Code = r.Code,
            StartsAt = DateTimeOffset.FromUnixTimeMilliseconds(r.EnrolledAt == 0 ? time.GetUtcNow().ToUnixTimeMilliseconds() : r.EnrolledAt),
            Kind = kind,
            Value = RewardTypes.ShopifyValue(kind, offer.Value),
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
