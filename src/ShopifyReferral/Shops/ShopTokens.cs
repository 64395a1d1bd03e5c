using System.Collections.Concurrent;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

/// <summary>
/// Stores each shop's offline token and hands out a live one, refreshing it when it is expired or within
/// five minutes of expiry (background workers call the Admin API long after the install). One refresh per
/// shop at a time: Shopify rotates the refresh token, so two concurrent refreshes would race.
/// </summary>
public sealed class ShopTokens(Db db, ShopifyOAuth oauth, TimeProvider time, ILogger<ShopTokens> log) : IShopTokens
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    public async ValueTask<string> GetAccessTokenAsync(string shop, CancellationToken ct)
    {
        var token = await FindAsync(shop, ct) ?? throw new ShopNotInstalledException(shop);
        if (!NeedsRefresh(token)) return token.AccessToken;

        var gate = _locks.GetOrAdd(shop, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            token = await FindAsync(shop, ct) ?? throw new ShopNotInstalledException(shop);
            if (!NeedsRefresh(token)) return token.AccessToken; // another caller refreshed meanwhile
            if (token.RefreshToken is null)
                throw new ShopNotInstalledException(shop, "its access token expired and there is no refresh token; the shop must reinstall the app");
            var fresh = await oauth.RefreshAsync(shop, token.RefreshToken, ct);
            await SaveAsync(shop, fresh, ct);
            log.LogInformation("Refreshed the access token of {Shop}; it expires at {ExpiresAt}", shop, fresh.ExpiresAt);
            return fresh.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task SaveAsync(string shop, ShopToken token, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var args = new
        {
            shop, access_token = token.AccessToken, access_token_expires_at = token.ExpiresAt?.ToUnixTimeMilliseconds(),
            refresh_token = token.RefreshToken, refresh_token_expires_at = token.RefreshExpiresAt?.ToUnixTimeMilliseconds(),
            scope = token.Scope, now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        // Update then insert: a shop's token is written by one install or one (locked) refresh at a time.
        var updated = await conn.ExecuteAsync("""
            UPDATE shop_tokens SET access_token = @access_token, access_token_expires_at = @access_token_expires_at,
                refresh_token = @refresh_token, refresh_token_expires_at = @refresh_token_expires_at, scope = @scope, updated_at = @now
            WHERE shop = @shop
            """, args);
        if (updated == 0)
            await conn.ExecuteAsync("""
                INSERT INTO shop_tokens (shop, access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, scope, updated_at)
                VALUES (@shop, @access_token, @access_token_expires_at, @refresh_token, @refresh_token_expires_at, @scope, @now)
                """, args);
    }

    public async Task<ShopToken?> FindAsync(string shop, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<(string, long?, string?, long?, string)>("""
            SELECT access_token, access_token_expires_at, refresh_token, refresh_token_expires_at, scope
            FROM shop_tokens WHERE shop = @shop
            """, new { shop });
        if (row.Item1 is null) return null;
        return new ShopToken(row.Item1, FromMs(row.Item2), row.Item3, FromMs(row.Item4), row.Item5);
    }

    private bool NeedsRefresh(ShopToken t) => t.ExpiresAt is { } at && at - time.GetUtcNow() <= RefreshMargin;

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

public sealed class ShopNotInstalledException(string shop, string why = "it has no access token (not installed, or uninstalled)")
    : Exception($"The app cannot call Shopify for {shop}: {why}.")
{
    public string Shop { get; } = shop;
}
