using System.Data.Common;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>A referrer and their code. Properties, not a positional record, so Dapper converts SQLite's integers.</summary>
public sealed record Referrer
{
    public long Id { get; init; }
    public string Shop { get; init; } = "";
    public long CustomerId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string Code { get; init; } = "";

    /// <summary>pending | live | failed: whether the code exists in Shopify yet.</summary>
    public string CodeStatus { get; init; } = "";
    public string? CodeError { get; init; }
    public int ProgramVersion { get; init; }

    /// <summary>The merchant's wish for the code: blocked means switched off at checkout.</summary>
    public bool Blocked { get; init; }
    public string? BlockedReason { get; init; }
    public long EnrolledAt { get; init; }

    /// <summary>The code's DiscountCodeNode in Shopify, once live (null for codes made live before migration 0031).</summary>
    public string? CodeGid { get; init; }

    /// <summary>active | inactive, as Shopify last confirmed; null means as created, active.</summary>
    public string? CodeShopifyState { get; init; }

    /// <summary>Whether checkout takes the code, and whether Shopify has caught up with the merchant's wish yet.</summary>
    public string CodeState => CodeStateOf(CodeStatus, Blocked, CodeShopifyState);

    /// <summary>
    /// pending (not in Shopify yet) | failed (Shopify refused to create it) | active | deactivating (blocked; Shopify
    /// not told yet) | inactive | activating (unblocked; Shopify not told yet).
    /// </summary>
    public static string CodeStateOf(string codeStatus, bool blocked, string? shopifyState) =>
        (codeStatus, blocked, shopifyState ?? "active") switch
        {
            ("live", true, "inactive") => "inactive",
            ("live", true, _) => "deactivating",
            ("live", false, "inactive") => "activating",
            ("live", false, _) => "active",
            _ => codeStatus,
        };

    /// <summary>Opens the shop with the code already applied at checkout (docs/shopify-facts.md#shareable-discount-links).</summary>
    public string ShareLink => $"https://{Shop}/discount/{Uri.EscapeDataString(Code)}?redirect=/";
}

/// <summary>
/// Enrolment. The referrer row is stored first with its code 'pending'; <see cref="ReferrerCodeSync"/> then
/// makes the code live in Shopify in the background, so a Shopify outage never fails an enrolment.
/// Idempotent: the same customer always gets the same code.
/// </summary>
public sealed class ReferrerService(Db db, ProgramStore programs, CodeLookup codes, Jobs.JobQueue jobs, Events.EventOutbox events, TimeProvider time)
{
    internal const string Columns = """
        id, shop, customer_id, email, first_name, last_name, code, code_status, code_error, program_version,
        blocked, blocked_reason, enrolled_at, code_gid, code_shopify_state
        """;

    /// <summary>
    /// Enrols a customer, or returns their existing enrolment. <paramref name="code"/> asks for a vanity code
    /// (letters, digits and dashes, 4 to 32); without it one is generated from the name.
    /// </summary>
    public async Task<Referrer> EnrolAsync(
        string shop, long customerId, string? email, string? firstName, string? lastName, string? code = null, CancellationToken ct = default)
    {
        if (customerId <= 0) throw new ArgumentOutOfRangeException(nameof(customerId), "A Shopify customer id is a positive number.");
        if (code is not null && !ReferralCodes.IsValidVanity(code))
            throw new ArgumentException("A code has 4 to 32 letters, digits or dashes.", nameof(code));
        var existing = await FindAsync(shop, customerId, ct);
        if (existing is not null) return existing;

        var program = await programs.GetActiveAsync(shop, ct);
        for (var attempt = 0; ; attempt++)
        {
            await using var conn = await db.OpenAsync(ct);
            try
            {
                // The referrer and the job that makes their code live commit together.
                await using var tx = await conn.BeginTransactionAsync(ct);
                var id = await conn.ExecuteScalarAsync<long>("""
                    INSERT INTO referrers (shop, customer_id, email, first_name, last_name, code, code_status, program_version, enrolled_at)
                    VALUES (@shop, @customerId, @email, @firstName, @lastName, @code, 'pending', @version, @now);
                    SELECT id FROM referrers WHERE shop = @shop AND customer_id = @customerId
                    """, new
                {
                    shop, customerId, email, firstName, lastName, code = code is not null ? ReferralCodes.Normalise(code) : ReferralCodes.New(firstName, email),
                    version = program.Version, now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                }, tx);
                await jobs.EnqueueAsync(conn, tx, ReferrerCodeSync.JobKind, id, shop);
                await events.RecordAsync(conn, tx, shop, Events.EventTypes.ReferrerEnrolled, new { ReferrerId = id, CustomerId = customerId });
                await tx.CommitAsync(ct);
                break;
            }
            catch (DbException) when (code is not null)
            {
                existing = await FindAsync(shop, customerId, ct);
                if (existing is not null) return existing;
                throw new ArgumentException($"The code {ReferralCodes.Normalise(code)} is already taken in this shop.", nameof(code));
            }
            catch (DbException) when (attempt < 5)
            {
                // Either the same customer enrolled concurrently (return theirs) or the random code collided (draw again).
                existing = await FindAsync(shop, customerId, ct);
                if (existing is not null) return existing;
            }
        }
        var enrolled = (await FindAsync(shop, customerId, ct))!;
        codes.Forget(shop, enrolled.Code);
        return enrolled;
    }

    public async Task<Referrer?> FindAsync(string shop, long customerId, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referrer>(
            $"SELECT {Columns} FROM referrers WHERE shop = @shop AND customer_id = @customerId", new { shop, customerId });
    }

    /// <summary>By our id, within the shop: another shop's referrer is not found.</summary>
    public async Task<Referrer?> FindByIdAsync(string shop, long id, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referrer>($"SELECT {Columns} FROM referrers WHERE shop = @shop AND id = @id", new { shop, id });
    }

    public async Task<Referrer?> FindByCodeAsync(string shop, string code, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Referrer>(
            $"SELECT {Columns} FROM referrers WHERE shop = @shop AND code = @code", new { shop, code = ReferralCodes.Normalise(code) });
    }

    public async Task<bool> SetBlockedAsync(string shop, long customerId, bool blocked, string? reason, CancellationToken ct = default) =>
        await FindAsync(shop, customerId, ct) is { } r && await SetBlockedByIdAsync(shop, r.Id, blocked, reason, ct) is not null;

    /// <summary>
    /// Blocks (the code stops working at checkout) or unblocks. Only the wish is written here: the Shopify call never
    /// runs in the merchant's request: the wish and its code.sync job commit together, and <see cref="ReferrerCodeSync"/> makes the code follow with retries. A sync
    /// holding the row's lease notices the new wish when it records what it did. Null: no such referrer in the shop.
    /// </summary>
    public async Task<Referrer?> SetBlockedByIdAsync(string shop, long referrerId, bool blocked, string? reason, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var changed = await conn.ExecuteAsync("""
                UPDATE referrers SET blocked = @blocked, blocked_reason = @reason,
                    code_due_at = CASE WHEN code_lease_owner IS NULL AND code_status = 'live' THEN @now ELSE code_due_at END
                WHERE id = @referrerId AND shop = @shop
                """, new { shop, referrerId, blocked, reason = blocked ? reason : null, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx);
            if (changed == 0) return null;
            await jobs.EnqueueAsync(conn, tx, ReferrerCodeSync.JobKind, referrerId, shop);
            await tx.CommitAsync(ct);
        }
        return await conn.QuerySingleAsync<Referrer>($"SELECT {Columns} FROM referrers WHERE id = @referrerId", new { referrerId });
    }
}
