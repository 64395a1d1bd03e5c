using System.Security.Cryptography;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Install;

/// <summary>
/// One-time OAuth <c>state</c> nonces in the database, so any instance can finish an install another began.
/// Taking a state deletes it: the DELETE that removes exactly one live row for this shop is the whole check,
/// so a replayed callback (or two racing ones) finds nothing the second time.
/// </summary>
public sealed class OAuthStates(Db db, TimeProvider time)
{
    /// <summary>Long enough for a merchant to read Shopify's consent screen.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public async Task<string> IssueAsync(string shop, CancellationToken ct)
    {
        var state = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = time.GetUtcNow();
        await using var conn = await db.OpenAsync(ct);
        // Expired states are swept here rather than by a job: installs are rare and this keeps the table tiny.
        await conn.ExecuteAsync("DELETE FROM oauth_states WHERE expires_at < @now", new { now = now.ToUnixTimeMilliseconds() });
        await conn.ExecuteAsync("INSERT INTO oauth_states (state, shop, expires_at) VALUES (@state, @shop, @expires)",
            new { state, shop, expires = (now + Lifetime).ToUnixTimeMilliseconds() });
        return state;
    }

    /// <summary>True once for a state issued to this shop and not yet expired; false ever after.</summary>
    public async Task<bool> TakeAsync(string shop, string state, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync(
            "DELETE FROM oauth_states WHERE state = @state AND shop = @shop AND expires_at >= @now",
            new { state, shop, now = time.GetUtcNow().ToUnixTimeMilliseconds() }) == 1;
    }
}
