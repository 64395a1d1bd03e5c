using ShopifyReferral.Referrals;
using Microsoft.Extensions.Options;
using ShopifyReferral.Data;

namespace ShopifyReferral;

/// <summary>
/// The app's start-up, called by Program.cs as it is and by a host that runs the app in-process with something of its
/// own around it (the dev host, with a stand-in Shopify). A bad setting stops it with exit code 2 and the key to fix.
/// </summary>
public static class App
{
    public static async Task<int> RunAsync(string[] args, AppHooks? hooks = null)
    {
        // `analytics rebuild`: recompute the orders' analytics facts (Analytics/OrderAnalyticsFacts.cs) and exit (README, "Analytics").
        var rebuild = args is ["analytics", "rebuild", ..];
        if (rebuild) args = args[2..];
        Operations.PoolThreads.RaiseFloor();
        var builder = WebApplication.CreateBuilder(args);
        AppMode mode;
        try
        {
            mode = (hooks?.ConfigureAsync is { } configure ? await configure(builder) : null) ?? RequireCredentials(builder);
        }
        catch (MissingCredentialsException ex)
        {
            Console.Error.WriteLine("Configuration error:\n  " + ex.Message);
            return 2;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine("Start-up error: " + ex.Message);
            return 2;
        }
        builder.Services.AddSingleton(mode);
        builder.Services.AddApplicationServices(builder.Configuration);

        var app = builder.Build();
        if (Validate(app) is { } error)
        {
            Console.Error.WriteLine("Configuration error:\n  " + error);
            return 2;
        }
        app.Logger.LogInformation("{Mode}", mode.Description);
        await app.MigrateDatabaseAsync();
        if (rebuild) return await OrderAnalyticsFacts.RebuildAsync(app.Services.GetRequiredService<Db>());
        app.MapApplicationEndpoints();
        hooks?.MapEndpoints?.Invoke(app);
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// The app talks to Shopify, so it needs the credentials; any credential at all means real mode, and a half-configured
    /// app fails validation naming the missing key. Nothing here falls back to a stand-in: that lives in the dev host only.
    /// </summary>
    private static AppMode RequireCredentials(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(config["Shopify:ClientId"]) || !string.IsNullOrWhiteSpace(config["Shopify:ClientSecret"]))
            return AppMode.Shopify(config);
        var environment = builder.Environment.EnvironmentName;
        throw new MissingCredentialsException(
            $"Shopify:ClientId and Shopify:ClientSecret must be set (environment {environment})." + (builder.Environment.IsDevelopment()
                ? " To try the app without Shopify, run the dev host, which starts the sandbox store and its demo: dotnet run --project src/ShopifyReferral.DevHost"
                : ""));
    }

    /// <summary>Null when every setting is valid; else the message naming the key.</summary>
    private static string? Validate(WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return string.Join("\n  ", ex.Failures);
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // A value of the wrong type (an unknown enum name, "ten" for a number): the binder's message names the key.
            return ex.Message;
        }
    }
}

/// <summary>What a host running the app in-process adds around it.</summary>
public sealed class AppHooks
{
    /// <summary>
    /// Runs first on the builder: settings and services of the host's own (its hosted services start before the app's).
    /// Returns the mode when the host supplies Shopify itself, or null for the app's own rule (credentials required).
    /// Throws <see cref="StartupException"/> to stop with exit code 2.
    /// </summary>
    public Func<WebApplicationBuilder, Task<AppMode?>>? ConfigureAsync { get; init; }

    /// <summary>More endpoints, mapped after the app's own.</summary>
    public Action<WebApplication>? MapEndpoints { get; init; }
}

/// <summary>
/// Which Shopify the app talks to, logged at start-up so nobody mistakes one for the other. IsSandbox: a stand-in the
/// host supplied, whose dashboard page then asks that host for its session tokens (data-sandbox on the page).
/// </summary>
public sealed record AppMode(bool IsSandbox, string Description)
{
    public static AppMode Shopify(IConfiguration config) =>
        new(false, $"Shopify mode: Admin API and OAuth calls go to {config["Shopify:AdminBaseUrl"] ?? "https://{shop}"}.");
}

/// <summary>Something that stops start-up with a clear message and exit code 2 (a port taken, a bad URL).</summary>
public class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>No Shopify credentials: a configuration error, exit code 2.</summary>
public sealed class MissingCredentialsException(string message) : StartupException(message);
