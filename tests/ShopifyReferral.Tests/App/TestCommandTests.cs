using System.Diagnostics;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.App;

/// <summary>
/// The README's `dotnet test`, with no logger options, prints why each skipped test was skipped and how to run it:
/// a newcomer must not have to know `--logger "console;verbosity=detailed"` or read a TRX file.
/// </summary>
public class TestCommandTests
{
    [Test]
    public void PlainDotnetTest_SkippedTest_PrintsItsReasonAndHowToEnableIt()
    {
        // The SQL Server fixture skips whenever its connection string is missing, so the child run removes it.
        var start = new ProcessStartInfo("dotnet",
            ["test", typeof(TestCommandTests).Assembly.Location, "--filter", "FullyQualifiedName~StorageTests&FullyQualifiedName~SqlServer&Name~Migrate_Twice"])
        {
            WorkingDirectory = Repo.TempFolder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove(TestDatabase.SqlServerVariable);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + stderr.Result;
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("dotnet test did not finish within 3 minutes:\n" + output);
        }

        Assert.That(output, Does.Contain("Skipped:     1"), output);
        var reason = output.Split('\n').FirstOrDefault(l => l.Contains("Migrate_Twice") && l.Contains(TestDatabase.SqlServerVariable));
        Assert.That(reason, Is.Not.Null, "a line names the skipped test and the variable that enables it:\n" + output);
        Assert.That(reason, Does.Contain("set "), "it says what to do, not only what is missing");
    }
}
