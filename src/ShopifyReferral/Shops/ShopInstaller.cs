using ShopifyReferral.Install;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Shops;

/// <summary>
/// Finishes an install, however the token came (OAuth callback, token exchange): stores the token (encrypted),
/// subscribes the webhooks, makes sure the shop has a program, marks it installed, and makes any work parked while
/// it had no usable token due again. Every step is idempotent, so a repeated or retried install is harmless.
/// </summary>
public sealed class ShopInstaller(
    ShopifyOAuth oauth, ShopTokens tokens, ShopStore shops, WebhookSubscriptions webhooks, ProgramStore programs,
    Webhooks.InboxStore inbox, Jobs.JobQueue jobs, TimeProvider time, ILogger<ShopInstaller> log)
{
    /// <summary>Authorization code grant: trades the code for an expiring offline token, then completes.</summary>
    public async Task<ShopToken> InstallAsync(string shop, string code, CancellationToken ct)
    {
        var token = await oauth.ExchangeCodeAsync(shop, code, ct);
        await CompleteAsync(shop, token, ct);
        return token;
    }

    /// <summary>Token exchange: an embedded app's session token for an expiring offline token, then completes.</summary>
    public async Task<ShopToken> InstallFromSessionTokenAsync(string shop, string sessionToken, CancellationToken ct)
    {
        var token = await oauth.ExchangeSessionTokenAsync(shop, sessionToken, ct);
        await CompleteAsync(shop, token, ct);
        return token;
    }

    private async Task CompleteAsync(string shop, ShopToken token, CancellationToken ct)
    {
        await tokens.SaveAsync(shop, token, ct);
        // Subscriptions before "installed": if Shopify fails here the merchant retries the install, which is idempotent.
        var created = await webhooks.EnsureAsync(shop, ct);
        var program = await programs.GetActiveAsync(shop, ct); // version 1 of the defaults on a first install
        var now = time.GetUtcNow();
        await shops.MarkInstalledAsync(shop, now, ct);
        // Work parked for want of a token resumes now, with its full retry budget (parking spent no attempts).
        await inbox.WakeParkedAsync(shop, now, ct);
        await jobs.WakeParkedAsync(shop, ct);
        log.LogInformation("Installed on {Shop} with scopes {Scope}; subscribed {Created}; program version {Version}",
            shop, token.Scope, created.Count == 0 ? "nothing new" : string.Join(", ", created), program.Version);
    }
}
