namespace ShopifyReferral.DevHost;

/// <summary>
/// `dotnet run --project src/ShopifyReferral.DevHost`: the app as it ships (App.RunAsync), with the sandbox store in
/// front of it when no Shopify credentials are set, the demo, the extension preview pages and the dashboard's dev token.
/// A named class, not top-level statements, so tests can hold both this and the app's Program.
/// </summary>
public sealed class DevHostProgram
{
    public static Task<int> Main(string[] args) => App.RunAsync(args, new AppHooks
    {
        ConfigureAsync = SandboxSetup.UseSandboxWhenUnconfiguredAsync,
        MapEndpoints = app =>
        {
            app.MapSandboxExtensionPages();
            app.MapDevToken();
        },
    });
}
