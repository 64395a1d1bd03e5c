using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

/// <summary>Start-up as an operator sees it: the process, its exit code and its log. Each case exits on bad settings
/// before it opens a database.</summary>
[Category(TestProvider.NoDatabase)]
public class StartupTests
{
    private static Dictionary<string, string> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__Referral"] = $"Data Source={Path.Combine(Repo.TempFolder(), "referral.db")}",
            ["Urls"] = "http://127.0.0.1:0",
        };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    [TestCase("Shopify__ClientId", "Shopify:ClientSecret")]
    [TestCase("Shopify__ClientSecret", "Shopify:ClientId")]
    public async Task HalfTheCredentials_ExitsWithCode2NamingTheMissingKey(string given, string missingKey)
    {
        using var app = AppProcess.Start(Env((given, "x"), ("Shopify__AppUrl", "https://referrals.example.com")));
        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(2), app.Output);
        Assert.That(app.Output, Does.Contain("Configuration error").And.Contain(missingKey));
        Assert.That(app.Output, Does.Not.Contain("SANDBOX"), "credentials given: the sandbox must never start");
    }

    [TestCase("Webhooks__MaxAttempts", "0", "Webhooks:MaxAttempts")]
    [TestCase("Webhooks__Retention", "00:10:00", "Webhooks:Retention")]
    [TestCase("Shopify__ApiVersion", "2026-11", "Shopify:ApiVersion")]
    [TestCase("Shopify__AppUrl", "not a url", "Shopify:AppUrl")]
    [TestCase("Database__Provider", "Oracle", "Database:Provider")]
    [TestCase("Proxy__KnownProxies", "10.0.0.5,not-an-ip", "Proxy:KnownProxies: 'not-an-ip' is not an IP address")]
    [TestCase("Proxy__KnownNetworks", "10.0.0.0/33", "Proxy:KnownNetworks: '10.0.0.0/33' is not a CIDR range")]
    [TestCase("Health__InboxStuckAfter", "00:00:00", "Health:InboxStuckAfter")]
    public async Task BadValue_ExitsWithCode2NamingTheKey(string variable, string value, string key)
    {
        using var app = AppProcess.Start(Env(
            ("Shopify__ClientId", "id"), ("Shopify__ClientSecret", "secret"), ("Shopify__AppUrl", "https://referrals.example.com"),
            (variable, value)));
        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(2), app.Output);
        Assert.That(app.Output, Does.Contain(key));
    }

    [TestCase("Production")]
    [TestCase("Staging")]
    public async Task NoCredentialsOutsideDevelopment_ExitsWithCode2NamingTheKeys_NeverTheSandbox(string environment)
    {
        using var app = AppProcess.Start(Env(("ASPNETCORE_ENVIRONMENT", environment)));
        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(2), app.Output);
        Assert.That(app.Output, Does.Contain("Configuration error").And.Contain("Shopify:ClientId").And.Contain("Shopify:ClientSecret"));
        Assert.That(app.Output, Does.Not.Contain("SANDBOX"), "a deployment never falls back to the sandbox");
    }

    [Test]
    public async Task NoCredentialsInDevelopment_ExitsWithCode2NamingTheKeys_PointsToTheDevHost()
    {
        // The app has no sandbox to fall back to, in any environment: the dev host is where the demo lives.
        using var app = AppProcess.Start(Env(("ASPNETCORE_ENVIRONMENT", "Development")));
        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(2), app.Output);
        Assert.That(app.Output, Does.Contain("Configuration error").And.Contain("Shopify:ClientId").And.Contain("Shopify:ClientSecret"));
        Assert.That(app.Output, Does.Contain("dotnet run --project src/ShopifyReferral.DevHost"));
        Assert.That(app.Output, Does.Not.Contain("SANDBOX"), "the app itself never starts the sandbox");
    }

    [Test]
    public async Task SandboxPortTaken_ExitsWithCode2NamingSandboxUrl()
    {
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        using var app = AppProcess.Start(Env(("Sandbox__Url", $"http://127.0.0.1:{port}"), ("ASPNETCORE_ENVIRONMENT", "Development")), dll: Repo.DevHostDll);
        var code = await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(code, Is.EqualTo(2), app.Output);
        Assert.That(app.Output, Does.Contain("Sandbox:Url"));
    }
}
