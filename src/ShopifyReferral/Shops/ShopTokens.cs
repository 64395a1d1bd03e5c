using Dapper;
using ShopifyReferral.Data;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

/// <summary>
/// Stores each shop's offline token (encrypted, see <see cref="TokenCipher"/>) and hands out a live one,
/// refreshing it when it is expired or within five minutes of expiry: background workers call the Admin API long
/// after the install. One refresh per shop at a time, across instances too (a lease on the shop's token row, longer
/// than a token request may take): Shopify rotates the refresh token, so two concurrent refreshes would race. A
/// refresh runs on its own clock: a caller that gives up (its Admin call timed out) neither cancels it nor starts a
/// second one, and the next caller picks up the saved result. Only Shopify's invalid_grant marks the shop
/// needs_reauth (callers get <see cref="ShopNeedsReauthException"/> and park their work until a new install or token
/// exchange); any other failure keeps the token and is tried again later.
/// </summary>
public sealed class ShopTokens(
    Db db, ShopifyOAuth oauth, TokenCipher cipher, ShopStore shops, IOptions<ShopifyOptions> options, TimeProvider time, ILogger<ShopTokens> log)
    : IShopTokens
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, Task<string>> _refreshing = [];

    /// <summary>How long one instance may hold a shop's refresh: twice a token request's timeout; a crashed holder's lease runs out.</summary>
    internal TimeSpan RefreshLease => options.Value.TokenRequestTimeout * 2;

    public async ValueTask<string> GetAccessTokenAsync(string shop, CancellationToken ct)
    {
        var token = await FindAsync(shop, ct) ?? throw await MissingAsync(shop, ct);
        if (!NeedsRefresh(token)) return token.AccessToken;

        Task<string> refresh;
        lock (_refreshing)
        {
            // A finished refresh lingers until its clean-up runs; a failed one must not answer the next caller.
            if (!_refreshing.TryGetValue(shop, out refresh!) || refresh.IsCompleted)
            {
                // Not the caller's token: the refresh is bounded by the token request timeout and the lease instead.
                refresh = Task.Run(() => RefreshUnderLeaseAsync(shop, NeedsRefresh, CancellationToken.None), CancellationToken.None);
                _refreshing[shop] = refresh;
                refresh.ContinueWith(done =>
                {
                    _ = done.Exception; // observed here: every caller may have stopped waiting
                    lock (_refreshing) if (_refreshing.GetValueOrDefault(shop) == done) _refreshing.Remove(shop);
                }, TaskScheduler.Default);
            }
        }
        return await refresh.WaitAsync(ct);
    }

    /// <summary>
    /// Keep-alive for a quiet shop: refreshes its token, under the same lease as any refresh, when its refresh token
    /// is within <paramref name="margin"/> of expiring (or its expiry is unknown), so the grant never lapses for want
    /// of traffic. Shopify's refusal parks the shop as any refusal does (<see cref="ShopNeedsReauthException"/>).
    /// </summary>
    public Task KeepAliveAsync(string shop, TimeSpan margin, CancellationToken ct) =>
        RefreshUnderLeaseAsync(shop, t => NeedsRefresh(t) || t.RefreshToken is not null && (t.RefreshExpiresAt is not { } r || r - time.GetUtcNow() <= margin), ct);

    private async Task<string> RefreshUnderLeaseAsync(string shop, Func<ShopToken, bool> needsRefresh, CancellationToken ct)
    {
        var owner = Guid.NewGuid().ToString("N");
        var lease = RefreshLease;
        var waitUntil = DateTime.UtcNow + lease;
        while (true)
        {
            var token = await FindAsync(shop, ct) ?? throw await MissingAsync(shop, ct);
            if (!needsRefresh(token)) return token.AccessToken; // another caller or instance refreshed meanwhile
            if (await TryLeaseAsync(shop, owner, ct))
            {
                // Re-read under the lease: the holder before us may have finished between our read and our lease.
                token = await FindAsync(shop, ct) ?? throw await MissingAsync(shop, ct);
                if (!needsRefresh(token))
                {
                    await ReleaseAsync(shop, owner, ct);
                    return token.AccessToken;
                }
                return await RefreshAsync(shop, token, owner, ct);
            }
            if (DateTime.UtcNow > waitUntil)
                throw new TimeoutException($"Another instance has been refreshing the token of {shop} for over {lease.TotalSeconds:F0} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    private async Task<string> RefreshAsync(string shop, ShopToken token, string owner, CancellationToken ct)
    {
        if (token.RefreshToken is null)
        {
            await ParkShopAsync(shop, "its access token expired and there is no refresh token", ct);
            throw new ShopNeedsReauthException(shop);
        }
        ShopToken fresh;
        try
        {
            fresh = await oauth.RefreshAsync(shop, token.RefreshToken, ct);
        }
        catch (ShopifyOAuthException ex) when (ex.GrantRefused)
        {
            await ParkShopAsync(shop, ex.Message, ct);
            throw new ShopNeedsReauthException(shop, ex);
        }
        catch (Exception ex)
        {
            // Anything but invalid_grant (a 5xx, a timeout, our own invalid_client after a secret change): the grant may
            // well be alive, so the token stays and the next caller tries again.
            log.LogWarning(ex, "Refreshing the token of {Shop} failed; keeping it and trying again later", shop);
            Operations.AppMetrics.TokenRefresh("failed");
            await ReleaseAsync(shop, owner, ct);
            throw;
        }
        await SaveAsync(shop, fresh, ct); // clears the lease with the new tokens
        log.LogInformation("Refreshed the access token of {Shop}; it expires at {ExpiresAt}", shop, fresh.ExpiresAt);
        Operations.AppMetrics.TokenRefresh("refreshed");
        return fresh.AccessToken;
    }

    /// <summary>The refresh was refused: the token is dead, the merchant must re-authorise; work waits, none is lost.</summary>
    private async Task ParkShopAsync(string shop, string why, CancellationToken ct)
    {
        log.LogWarning("The token of {Shop} cannot be refreshed ({Why}); the shop needs re-authorisation and its work is parked", shop, why);
        Operations.AppMetrics.TokenRefresh("refused");
        await shops.MarkNeedsReauthAsync(shop, time.GetUtcNow(), ct);
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync("DELETE FROM shop_tokens WHERE shop = @shop", new { shop });
    }

    private async Task<ShopNotInstalledException> MissingAsync(string shop, CancellationToken ct) =>
        (await shops.FindAsync(shop, ct))?.Status == ShopStore.NeedsReauth ? new ShopNeedsReauthException(shop) : new ShopNotInstalledException(shop);

    private async Task<bool> TryLeaseAsync(string shop, string owner, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync("""
            UPDATE shop_tokens SET refresh_lease_owner = @owner, refresh_lease_until = @until
            WHERE shop = @shop AND (refresh_lease_until IS NULL OR refresh_lease_until < @now)
            """, new { shop, owner, now = now.ToUnixTimeMilliseconds(), until = (now + RefreshLease).ToUnixTimeMilliseconds() }) == 1;
    }

    private async Task ReleaseAsync(string shop, string owner, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(
            "UPDATE shop_tokens SET refresh_lease_owner = NULL, refresh_lease_until = NULL WHERE shop = @shop AND refresh_lease_owner = @owner",
            new { shop, owner });
    }

    public async Task SaveAsync(string shop, ShopToken token, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        var args = new
        {
            shop, access_token = cipher.Protect(token.AccessToken), access_token_expires_at = token.ExpiresAt?.ToUnixTimeMilliseconds(),
            refresh_token = token.RefreshToken is { } r ? cipher.Protect(r) : null,
            refresh_token_expires_at = token.RefreshExpiresAt?.ToUnixTimeMilliseconds(),
            scope = token.Scope, now = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        // Update then insert: a shop's token is written by one install or one (leased) refresh at a time.
        var updated = await conn.ExecuteAsync("""
            UPDATE shop_tokens SET access_token = @access_token, access_token_expires_at = @access_token_expires_at,
                refresh_token = @refresh_token, refresh_token_expires_at = @refresh_token_expires_at, scope = @scope, updated_at = @now,
                refresh_lease_owner = NULL, refresh_lease_until = NULL
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
        return new ShopToken(cipher.Unprotect(row.Item1), FromMs(row.Item2), row.Item3 is { } r ? cipher.Unprotect(r) : null, FromMs(row.Item4), row.Item5);
    }

    private bool NeedsRefresh(ShopToken t) => t.ExpiresAt is { } at && at - time.GetUtcNow() <= RefreshMargin;

    private static DateTimeOffset? FromMs(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

public class ShopNotInstalledException(string shop, string why = "it has no access token (not installed, or uninstalled)", Exception? inner = null)
    : Exception($"The app cannot call Shopify for {shop}: {why}.", inner)
{
    public string Shop { get; } = shop;
}

/// <summary>The shop's token could not be refreshed: its work waits (parked, attempts not counted) for a new install.</summary>
public sealed class ShopNeedsReauthException(string shop, Exception? inner = null)
    : ShopNotInstalledException(shop, "its token was refused at refresh; the merchant must open the app again to re-authorise it", inner);
