using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ShopifyReferral.Sandbox.OAuth;

/// <summary>A token response, shaped like Shopify's <c>/admin/oauth/access_token</c> JSON.</summary>
internal sealed record TokenGrant(string AccessToken, string Scope, int? ExpiresIn, string? RefreshToken, int? RefreshTokenExpiresIn);

/// <summary>
/// Authorization codes, access tokens and refresh tokens for all shops (docs/shopify-facts.md#token-endpoint, docs/shopify-facts.md#expiring-offline-tokens).
/// Codes are one-time. Refresh rotates the refresh token; the old one stays valid until the new access
/// token is first used, as Shopify does since 2026-08-28, so a lost refresh response is recoverable.
/// Every grant carries the scopes the merchant granted (what the authorize request asked for), and keeps them
/// through refreshes, so the API can deny what a token was not granted.
/// </summary>
internal sealed class TokenBook(SandboxOptions options)
{
    private sealed record AccessRecord(string Shop, string Scope, DateTimeOffset? ExpiresAt, string? RetiresRefreshToken);
    private sealed record RefreshRecord(string Shop, string Scope, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, (string Shop, string Scope)> _codes = new();
    private readonly ConcurrentDictionary<string, AccessRecord> _access = new();
    private readonly ConcurrentDictionary<string, RefreshRecord> _refresh = new();
    private readonly ConcurrentDictionary<string, int> _refreshes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _latestRefresh = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SandboxRefresh>> _refreshLog = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<SandboxRefresh> Refreshes(string shop) => _refreshLog.TryGetValue(shop, out var log) ? [.. log] : [];


    /// <summary>How many refresh grants the shop was given (tests check "one refresh, shared").</summary>
    public int RefreshCount(string shop) => _refreshes.GetValueOrDefault(shop);

    /// <param name="scope">What the merchant granted; null grants the sandbox's default scopes.</param>
    public string CreateCode(string shop, string? scope = null)
    {
        var code = RandomNumberGenerator.GetHexString(32, lowercase: true);
        _codes[code] = (shop, string.IsNullOrWhiteSpace(scope) ? options.Scopes : scope);
        return code;
    }

    /// <summary>Redeems a code once; null when it is unknown, used, or for another shop.</summary>
    public TokenGrant? Exchange(string shop, string code, bool expiring)
    {
        if (!_codes.TryRemove(code, out var granted)) return null;
        if (!string.Equals(granted.Shop, shop, StringComparison.OrdinalIgnoreCase)) return null;
        return Issue(shop, expiring, retires: null, granted.Scope);
    }

    /// <summary>A rotation, logged (see <see cref="SandboxRefresh"/>).</summary>
    public TokenGrant? Refresh(string shop, string refreshToken)
    {
        var latest = _latestRefresh.TryGetValue(shop, out var l) && l == refreshToken;
        var grant = TryRefresh(shop, refreshToken);
        _refreshLog.GetOrAdd(shop, _ => new()).Enqueue(new SandboxRefresh(options.Time.GetUtcNow(), latest, grant is not null));
        return grant;
    }

    private TokenGrant? TryRefresh(string shop, string refreshToken)
    {
        if (!_refresh.TryGetValue(refreshToken, out var record)) return null;
        if (!string.Equals(record.Shop, shop, StringComparison.OrdinalIgnoreCase)) return null;
        if (record.ExpiresAt <= options.Time.GetUtcNow()) return null;
        _refreshes.AddOrUpdate(shop, 1, (_, n) => n + 1);
        return Issue(shop, expiring: true, retires: refreshToken, record.Scope);
    }

    /// <summary>A token for tests that want to skip the OAuth dance (and for token exchange: the app's configured scopes).</summary>
    public TokenGrant Issue(string shop, bool expiring, string? retires, string? scope = null)
    {
        scope ??= options.Scopes;
        var now = options.Time.GetUtcNow();
        var token = "shpat_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        if (!expiring)
        {
            _access[token] = new AccessRecord(shop, scope, null, null);
            return new TokenGrant(token, scope, null, null, null);
        }

        var refresh = "shprt_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        _access[token] = new AccessRecord(shop, scope, now + options.AccessTokenLifetime, retires);
        _refresh[refresh] = new RefreshRecord(shop, scope, now + options.RefreshTokenLifetime);
        _latestRefresh[shop] = refresh;
        return new TokenGrant(token, scope, (int)options.AccessTokenLifetime.TotalSeconds,
            refresh, (int)options.RefreshTokenLifetime.TotalSeconds);
    }

    /// <summary>True when <paramref name="token"/> is a live token of <paramref name="shop"/>.</summary>
    public bool Authorize(string shop, string? token) => ScopesOf(shop, token) is not null;

    /// <summary>The scopes of a live token of <paramref name="shop"/>; null when the token is not one.</summary>
    public IReadOnlySet<string>? ScopesOf(string shop, string? token)
    {
        if (token is null || !_access.TryGetValue(token, out var record)) return null;
        if (!string.Equals(record.Shop, shop, StringComparison.OrdinalIgnoreCase)) return null;
        if (record.ExpiresAt is { } exp && exp <= options.Time.GetUtcNow()) return null;
        if (record.RetiresRefreshToken is { } old)
        {
            // First use of the new access token: the app has adopted the rotation, so the predecessor dies.
            _refresh.TryRemove(old, out _);
            _access[token] = record with { RetiresRefreshToken = null };
        }
        return record.Scope.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
    }

    /// <summary>What uninstall does: every token of the shop stops working at once (docs/shopify-facts.md#compliance-webhooks-and-uninstall).</summary>
    public void RevokeShop(string shop)
    {
        foreach (var (k, v) in _access)
            if (string.Equals(v.Shop, shop, StringComparison.OrdinalIgnoreCase)) _access.TryRemove(k, out _);
        foreach (var (k, v) in _refresh)
            if (string.Equals(v.Shop, shop, StringComparison.OrdinalIgnoreCase)) _refresh.TryRemove(k, out _);
    }
}
