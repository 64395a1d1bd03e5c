using System.Net;
using System.Net.Sockets;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.DevHost;

/// <summary>
/// With neither Shopify:ClientId nor Shopify:ClientSecret set, the dev host starts the sandbox store beside the app and
/// points every Shopify setting at it. Any credential at all means the app's own rule: real Shopify, and a
/// half-configured app fails validation naming the missing key.
/// </summary>
public static class SandboxSetup
{
    /// <summary>The sandbox's own database, unless ConnectionStrings:Referral is given.</summary>
    public const string SandboxDatabase = "data/sandbox/sandbox.db";

    public static Task<AppMode?> UseSandboxWhenUnconfiguredAsync(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(config["Shopify:ClientId"]) || !string.IsNullOrWhiteSpace(config["Shopify:ClientSecret"]))
            return Task.FromResult<AppMode?>(null);

        var url = ReserveUrl(config["Sandbox:Url"] is { Length: > 0 } u ? u : "http://127.0.0.1:7071");
        var options = new SandboxOptions { Url = url };
        var template = url.TrimEnd('/') + "/{shop}";
        var database = config.GetConnectionString("Referral") is { Length: > 0 } given ? given : FreshSandboxDatabase();
        config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shopify:ClientId"] = options.ClientId,
            ["Shopify:ClientSecret"] = options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = template,
            ["Shopify:AppUrl"] = string.IsNullOrWhiteSpace(config["Shopify:AppUrl"]) ? FirstUrl(config) : config["Shopify:AppUrl"],
            ["ConnectionStrings:Referral"] = database,
        });
        builder.Services.AddSingleton(options);
        // Registered before every other hosted service, so the store is up before anything calls it.
        builder.Services.AddSingleton<SandboxHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SandboxHost>());
        builder.Services.AddHostedService<SandboxDemo>();
        return Task.FromResult<AppMode?>(new AppMode(true,
            $"SANDBOX mode (dev host, no Shopify credentials): a local sandbox store runs at {template}; database {database}. " +
            "Set Shopify:ClientId and Shopify:ClientSecret to talk to Shopify."));
    }

    /// <summary>
    /// The sandbox store keeps nothing between runs (shops, tokens, customers, discounts, order numbers all start
    /// over), so its database starts over too: a database remembering the last run would hold tokens the new store
    /// refuses and orders whose numbers it hands out again. Never the real database file.
    /// </summary>
    private static string FreshSandboxDatabase()
    {
        var file = Path.GetFullPath(SandboxDatabase);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(file + suffix)) File.Delete(file + suffix);
        return $"Data Source={SandboxDatabase}";
    }

    /// <summary>
    /// Checks the sandbox's port is free now, so a clash is a clear start-up error; port 0 becomes a free
    /// port picked here, because the Shopify settings must name it before the store starts.
    /// </summary>
    private static string ReserveUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(uri.Host, out var ip))
            throw new StartupException($"Sandbox:Url '{url}' must be an http URL with an IP address, e.g. http://127.0.0.1:7071.");
        var probe = new TcpListener(ip, uri.Port);
        try
        {
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            return $"http://{uri.Authority.Replace(":" + uri.Port, "")}:{port}";
        }
        catch (SocketException ex)
        {
            throw new StartupException($"The sandbox store cannot listen on {url} (Sandbox:Url): {ex.Message}", ex);
        }
        finally
        {
            probe.Stop();
        }
    }

    private static string FirstUrl(IConfiguration config) =>
        (config["Urls"] ?? "http://127.0.0.1:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Replace("*", "127.0.0.1").Replace("+", "127.0.0.1");
}
