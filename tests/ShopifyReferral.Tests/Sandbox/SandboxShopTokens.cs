using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>
/// Gets each shop's token the way an install does: a one-time code exchanged at the sandbox's
/// <c>/{shop}/admin/oauth/access_token</c>, over HTTP. Cached per shop; <see cref="Forget"/> drops it.
/// </summary>
internal sealed class SandboxShopTokens(SandboxStore store) : IShopTokens, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public int Exchanges { get; private set; }

    public async ValueTask<string> GetAccessTokenAsync(string shop, CancellationToken ct)
    {
        if (_tokens.TryGetValue(shop, out var cached)) return cached;
        using var response = await _http.PostAsJsonAsync(new Uri(store.BaseAddress, $"{shop}/admin/oauth/access_token"), new JsonObject
        {
            ["client_id"] = store.Options.ClientId,
            ["client_secret"] = store.Options.ClientSecret,
            ["code"] = store.CreateAuthorizationCode(shop),
            ["expiring"] = "1",
        }, ct);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
        Exchanges++;
        return _tokens[shop] = (string?)body?["access_token"] ?? throw new InvalidOperationException("no access_token");
    }

    public void Forget(string shop) => _tokens.TryRemove(shop, out _);

    public void Dispose() => _http.Dispose();
}

/// <summary>Wall-clock time plus an offset tests can push forward: buckets refill for real, dates can jump.</summary>
internal sealed class ShiftedTime : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
