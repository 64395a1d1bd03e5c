using System.Text.Json;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

/// <summary>
/// The first README command (`dotnet run --project src/ShopifyReferral.DevHost`: Development, no credentials, the
/// settings file) as a real process, the dev host's built dll, run twice in the same folder: each run ends with the
/// demo reward issued, without errors.
/// </summary>
[Category(Infrastructure.TestProvider.SqliteOnly)]
public class SandboxDemoRunTests
{
    [Test]
    public async Task FirstCommand_TwiceInTheSameFolder_EachRunEndsWithTheDemoRewardIssued()
    {
        var folder = Repo.TempFolder();
        File.Copy(Repo.Path("appsettings.json"), Path.Combine(folder, "appsettings.json"));
        for (var run = 1; run <= 2; run++)
        {
            using var app = AppProcess.Start(new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Urls"] = "http://127.0.0.1:0", ["Sandbox__Url"] = "http://127.0.0.1:0",
            }, folder, Repo.DevHostDll);
            await Eventually.True(() => app.Output.Contains("Demo: reward issued") || app.HasExited, TimeSpan.FromSeconds(90), $"run {run}: the demo reward");
            Assert.That(app.Output, Does.Contain("Demo: reward issued"), $"run {run}:\n{app.Output}");
            Assert.That(app.Output, Does.Not.Contain("fail:").And.Not.Contain("Exception"), $"run {run} logged an error:\n{app.Output}");
            // A whole run's log: install, token exchange, webhooks, referral, reward, thanks. Shops and ids are fields of
            // the messages; secrets, tokens and shoppers' emails never are.
            foreach (var secret in new[] { new SandboxOptions().ClientSecret, "shpat_", "shprt_", "@example.com", "jane.doe" })
                Assert.That(app.Output, Does.Not.Contain(secret), $"run {run} logged '{secret}'");
        }
        Assert.That(File.Exists(Path.Combine(folder, "data", "sandbox", "sandbox.db")), Is.True, "the sandbox's own database");
        Assert.That(File.Exists(Path.Combine(folder, "data", "referral.db")), Is.False, "never the real database");
    }

    [Test]
    public void ReadmeFirstLine_RunsTheDevHost()
    {
        var first = File.ReadLines(Repo.Path("README.md")).First().Trim();
        Assert.That(first, Is.EqualTo("dotnet run --project src/ShopifyReferral.DevHost"));
    }

    [Test]
    public void DotnetRun_UsesTheDevelopmentEnvironment()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Repo.Path("src", "ShopifyReferral.DevHost", "Properties", "launchSettings.json")));
        // dotnet run takes the first profile.
        var first = settings.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.That(first.GetProperty("commandName").GetString(), Is.EqualTo("Project"));
        Assert.That(first.GetProperty("environmentVariables").GetProperty("ASPNETCORE_ENVIRONMENT").GetString(), Is.EqualTo("Development"));
    }
}
