namespace ShopifyReferral.Shops;

/// <summary>Finishes an install: trades the authorization code for a token, stores it, marks the shop installed.</summary>
public sealed class ShopInstaller(ShopifyOAuth oauth, ShopTokens tokens, ShopStore shops, TimeProvider time, ILogger<ShopInstaller> log)
{
    public async Task<ShopToken> InstallAsync(string shop, string code, CancellationToken ct)
    {
        var token = await oauth.ExchangeCodeAsync(shop, code, ct);
        await tokens.SaveAsync(shop, token, ct);
        await shops.MarkInstalledAsync(shop, time.GetUtcNow(), ct);
        log.LogInformation("Installed on {Shop} with scopes {Scope}", shop, token.Scope);
        return token;
    }
}
