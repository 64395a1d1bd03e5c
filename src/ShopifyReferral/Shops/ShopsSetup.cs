using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using ShopifyReferral.Data;
using ShopifyReferral.Install;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Shops;

public static class ShopsSetup
{
    public static IServiceCollection AddShops(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ShopStore>();
        // Each token request has its own bound (Shopify:TokenRequestTimeout), shorter than the refresh lease.
        services.AddHttpClient<ShopifyOAuth>((sp, http) =>
            http.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ShopifyOptions>>().Value.TokenRequestTimeout);
        // Tokens are encrypted with keys kept in a folder every instance reads (DataProtection:KeysFolder). The fixed
        // application name makes instances in different folders or containers share one key ring.
        services.AddDataProtection()
            .SetApplicationName("ShopifyReferral")
            .PersistKeysToFileSystem(new DirectoryInfo(KeysFolder(config)));
        services.AddSingleton<TokenCipher>();
        services.AddSingleton<ShopTokens>();
        services.AddSingleton<IShopTokens>(sp => sp.GetRequiredService<ShopTokens>());
        services.AddSingleton<OAuthStates>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddTransient<ShopInstaller>();
        return services;
    }

    /// <summary>
    /// DataProtection:KeysFolder when set; otherwise "keys" beside the SQLite file (data/keys by default), or data/keys
    /// for SQL Server. Instances that share a database must share this folder too (a volume, a network share).
    /// </summary>
    public static string KeysFolder(IConfiguration config)
    {
        if (config["DataProtection:KeysFolder"] is { Length: > 0 } set) return Path.GetFullPath(set);
        var provider = config["Database:Provider"];
        var connection = config.GetConnectionString("Referral");
        if (provider is null or "" or "Sqlite" && !string.IsNullOrWhiteSpace(connection))
        {
            var file = new SqliteConnectionStringBuilder(connection).DataSource;
            if (file is { Length: > 0 } && file != ":memory:")
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", "keys");
        }
        return Path.GetFullPath(Path.Combine("data", "keys"));
    }
}
