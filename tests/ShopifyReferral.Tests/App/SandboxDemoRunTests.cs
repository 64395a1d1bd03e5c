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
            Assert.That(app.Output, Does.Contain("days of history placed").And.Contain("Demo: open the merchant dashboard at http://"), app.Output);
            Assert.That(app.Output, Does.Not.Contain("fail:").And.Not.Contain("Exception"), $"run {run} logged an error:\n{app.Output}");
            // A whole run's log: install, token exchange, webhooks, referral, reward, thanks. Shops and ids are fields of
            // the messages; secrets, tokens and shoppers' emails never are.
            foreach (var secret in new[] { new SandboxOptions().ClientSecret, "shpat_", "shprt_", "@example.com", "jane.doe" })
                Assert.That(app.Output, Does.Not.Contain(secret), $"run {run} logged '{secret}'");
        }
        Assert.That(File.Exists(Path.Combine(folder, "data", "sandbox", "sandbox.db")), Is.True, "the sandbox's own database");
        AssertTheDemoShopHasAPast(Path.Combine(folder, "data", "sandbox", "sandbox.db"));
        Assert.That(File.Exists(Path.Combine(folder, "data", "referral.db")), Is.False, "never the real database");
    }

    /// <summary>What the dashboard opens on after the first command: sixty days of a shop with every kind of row.</summary>
    private static void AssertTheDemoShopHasAPast(string file)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        db.Open();
        long Count(string sql) => Dapper.SqlMapper.ExecuteScalar<long>(db, sql);
        Assert.Multiple(() =>
        {
            Assert.That(Count("SELECT (MAX(created_at) - MIN(created_at)) / 86400000 FROM orders"), Is.GreaterThanOrEqualTo(59), "orders over sixty days");
            Assert.That(Count("SELECT COUNT(*) FROM orders WHERE order_id NOT IN (SELECT order_id FROM referrals)"), Is.GreaterThan(100), "orders without a code");
            Assert.That(Count("SELECT COUNT(*) FROM referrals WHERE status = 'rewarded'"), Is.GreaterThan(20));
            Assert.That(Count("SELECT COUNT(*) FROM referrals WHERE status = 'review'"), Is.GreaterThanOrEqualTo(1), "a referral for the merchant to look at");
            Assert.That(Count("SELECT COUNT(*) FROM referrals WHERE status = 'voided'"), Is.GreaterThanOrEqualTo(1), "the refunded order");
            Assert.That(Count("SELECT COUNT(*) FROM rewards WHERE status = 'clawed_back'"), Is.GreaterThanOrEqualTo(1), "and its reward taken back");
            Assert.That(Count("SELECT COUNT(DISTINCT channel) FROM share_clicks"), Is.GreaterThanOrEqualTo(5), "clicks per channel");
        });
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
