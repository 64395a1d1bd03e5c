using System.Collections.Concurrent;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

/// <summary>
/// Which referrer a discount code belongs to, for the order path, kept in memory. A code stays with its referrer
/// for good (referrers are never renamed or deleted, except by shop/redact), so a match is kept for long; a code
/// that matched no one is re-read after <see cref="UnknownFor"/>, since a referrer enrolled on another instance
/// may own it by then (this instance's own enrolments forget it at once). Only the id is kept: whether the
/// referrer is blocked is read fresh where it is judged.
/// </summary>
public sealed class CodeLookup(Db db)
{
    public static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(1);

    // Unknown codes (the shop's other discount codes) come and go; past this many entries the map starts over.
    private const int MostEntries = 100_000;

    /// <summary>Properties, not a positional record, so Dapper converts each provider's integer type.</summary>
    public sealed record Owner
    {
        public long ReferrerId { get; init; }
        public string Code { get; init; } = "";
    }

    private readonly ConcurrentDictionary<(string Shop, string Code), (Owner? Owner, long Until)> _codes = new();

    public async Task<Owner?> FindAsync(string shop, string code, CancellationToken ct)
    {
        var key = (shop, ReferralCodes.Normalise(code));
        if (_codes.TryGetValue(key, out var kept) && Environment.TickCount64 < kept.Until) return kept.Owner;
        Owner? owner;
        await using (var conn = await db.OpenAsync(ct))
            owner = await conn.QuerySingleOrDefaultAsync<Owner>(
                "SELECT id AS referrer_id, code FROM referrers WHERE shop = @shop AND code = @code", new { shop, code = key.Item2 });
        if (_codes.Count >= MostEntries) _codes.Clear();
        _codes[key] = (owner, Environment.TickCount64 + (long)(owner is null ? UnknownFor : KnownFor).TotalMilliseconds);
        return owner;
    }

    /// <summary>A referrer was just enrolled with this code: an earlier "no one" no longer holds.</summary>
    public void Forget(string shop, string code) => _codes.TryRemove((shop, ReferralCodes.Normalise(code)), out _);

    /// <summary>After shop/redact: its referrers are gone.</summary>
    public void Forget(string shop)
    {
        foreach (var key in _codes.Keys.Where(k => k.Shop == shop)) _codes.TryRemove(key, out _);
    }
}
