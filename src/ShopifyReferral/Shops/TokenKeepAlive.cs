using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Jobs;

namespace ShopifyReferral.Shops;

/// <summary>
/// Periodic job shops.token_keepalive, daily: an expiring offline token is refreshed when used, but a shop with no
/// Admin API traffic would let its refresh token run out (90 days) and lose the grant. So every installed shop whose
/// refresh token has under 60 days left (or whose expiry Shopify did not say and whose token is a month old) is
/// refreshed now, a month into that life and well inside it. A refusal (invalid_grant) marks the shop needs_reauth,
/// as any refusal does, so the merchant is asked to re-authorise and its work waits; any other failure leaves the
/// token and is tried again in an hour.
/// </summary>
public sealed class TokenKeepAlive(Db db, ShopTokens tokens, TimeProvider time, ILogger<TokenKeepAlive> log) : IPeriodicJob
{
    public const string JobKind = "shops.token_keepalive";
    public static readonly TimeSpan Margin = TimeSpan.FromDays(60);
    private static readonly TimeSpan UnknownExpiryAge = TimeSpan.FromDays(30);

    public string Kind => JobKind;

    public bool NeedsShop => false; // one job for every shop; each refresh checks its own

    public TimeSpan Every => TimeSpan.FromDays(1);

    public async Task<JobResult> RunAsync(Job job, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<string> due;
        await using (var conn = await db.OpenAsync(ct))
            due = (await conn.QueryAsync<string>("""
                SELECT t.shop FROM shop_tokens t JOIN shops s ON s.shop = t.shop
                WHERE s.status = 'installed' AND t.refresh_token IS NOT NULL AND t.access_token_expires_at IS NOT NULL
                  AND (t.refresh_token_expires_at <= @due OR (t.refresh_token_expires_at IS NULL AND t.updated_at <= @stale))
                ORDER BY t.shop
                """, new { due = (now + Margin).ToUnixTimeMilliseconds(), stale = (now - UnknownExpiryAge).ToUnixTimeMilliseconds() })).AsList();
        int refreshed = 0, failed = 0;
        foreach (var shop in due)
        {
            try
            {
                await tokens.KeepAliveAsync(shop, Margin, ct);
                refreshed++;
            }
            catch (ShopNeedsReauthException)
            {
                // Marked needs_reauth by the refresh: the dashboard asks the merchant to re-authorise.
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failed++;
                log.LogWarning(ex, "Keeping the token of {Shop} alive failed; trying again in an hour", shop);
            }
        }
        if (due.Count > 0) log.LogInformation("Token keep-alive: {Refreshed} of {Due} shops refreshed", refreshed, due.Count);
        return JobResult.Later(now + (failed > 0 ? TimeSpan.FromHours(1) : Every), refreshed > 0);
    }
}
