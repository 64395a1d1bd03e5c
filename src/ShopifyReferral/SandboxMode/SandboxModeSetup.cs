using System.Net;
using System.Net.Sockets;
using ShopifyReferral.Sandbox;

namespace ShopifyReferral.SandboxMode;

/// <summary>Which Shopify the app talks to; logged at start-up so nobody mistakes one for the other.</summary>
public sealed record AppMode(bool IsSandbox, string AdminBaseUrl, string? Database = null)
{
    public string Describe() => IsSandbox
        ? $"SANDBOX mode (Development, no Shopify credentials): a local sandbox store runs at {AdminBaseUrl}; database {Database}. " +
          "Set Shopify:ClientId and Shopify:ClientSecret to talk to Shopify."
        : $"Shopify mode: Admin API and OAuth calls go to {AdminBaseUrl}.";
}

/// <summary>
/// With neither Shopify:ClientId nor Shopify:ClientSecret set, the app starts the sandbox store beside itself and
/// points every Shopify setting at it, but only in the Development environment (what `dotnet run` uses): anywhere
/// else missing credentials stop the app, so a deployment never falls back to a fake Shopify. Any credential at all
/// means real mode: a half-configured app fails validation naming the missing key.
/// </summary>
public static class SandboxModeSetup
{
    /// <summary>The sandbox's own database, unless ConnectionStrings:Referral is given.</summary>
    public const string SandboxDatabase = "data/sandbox/sandbox.db";

    public static async Task<AppMode> UseSandboxWhenUnconfiguredAsync(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(config["Shopify:ClientId"]) || !string.IsNullOrWhiteSpace(config["Shopify:ClientSecret"]))
        {
            var real = new AppMode(false, config["Shopify:AdminBaseUrl"] ?? "https://{shop}");
            builder.Services.AddSingleton(real);
            return real;
        }
        if (!builder.Environment.IsDevelopment())
            throw new MissingCredentialsException(
                $"Shopify:ClientId and Shopify:ClientSecret must be set (environment {builder.Environment.EnvironmentName}). " +
                "The sandbox stands in for Shopify only in the Development environment, as `dotnet run` starts the app.");

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
        var mode = new AppMode(true, template, database);
        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(options);
        // Registered before every other hosted service, so the store is up before anything calls it.
        builder.Services.AddSingleton<SandboxHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SandboxHost>());
        builder.Services.AddHostedService<SandboxDemo>();
        return mode;
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
            throw new SandboxStartException($"Sandbox:Url '{url}' must be an http URL with an IP address, e.g. http://127.0.0.1:7071.");
        var probe = new TcpListener(ip, uri.Port);
        try
        {
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            return $"http://{uri.Authority.Replace(":" + uri.Port, "")}:{port}";
        }
        catch (SocketException ex)
        {
            throw new SandboxStartException($"The sandbox store cannot listen on {url} (Sandbox:Url): {ex.Message}", ex);
        }
        finally
        {
            probe.Stop();
        }
    }

    private static string FirstUrl(IConfiguration config) =>
        (config["Urls"] ?? "http://127.0.0.1:5000").Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Replace("*", "127.0.0.1").Replace("+", "127.0.0.1");
}

public class SandboxStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No Shopify credentials outside Development: a configuration error, exit code 2.</summary>
public sealed class MissingCredentialsException(string message) : SandboxStartException(message);
