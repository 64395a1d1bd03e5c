using System.Diagnostics;
using System.Text.Json;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>
/// Validates every Admin GraphQL document against Shopify's published schema with graphql-js
/// (tools/graphql-validate). The npm packages are installed on first use; skipped, with what to install, when node or
/// npm is missing or the install fails.
/// </summary>
public class AdminDocumentsTests
{
    private const string SchemaFile = "shopify-admin-2026-01.graphql";

    [Test]
    public void All_AgainstAdminSchema_Validate()
    {
        var (exitCode, output) = RunValidator(AdminDocuments.All);

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain($"{AdminDocuments.All.Count} valid, 0 invalid"));
    }

    [Test]
    public void Validator_MadeUpField_ReportsInvalid()
    {
        var documents = new Dictionary<string, string>
        {
            ["Real"] = AdminDocuments.CustomerOrderCount,
            ["MadeUp"] = "query MadeUp($id: ID!) { customer(id: $id) { referralKarmaPoints } }",
        };

        var (exitCode, output) = RunValidator(documents);

        Assert.That(exitCode, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("FAIL MadeUp").And.Contain("referralKarmaPoints"));
        Assert.That(output, Does.Contain("ok   Real"));
    }

    [Test]
    public void All_Names_MatchOperationNames()
    {
        // The pacer learns cost per name, and Shopify's logs show the operation name: keep them the same.
        foreach (var (name, document) in AdminDocuments.All)
            Assert.That(document, Does.Match($@"^(query|mutation) {name}\b"), name);
    }

    private static (int ExitCode, string Output) RunValidator(IReadOnlyDictionary<string, string> documents)
    {
        var repo = RepoRoot();
        var tool = Path.Combine(repo, "tools", "graphql-validate");
        var node = FindOnPath(OperatingSystem.IsWindows() ? "node.exe" : "node");
        if (node is null)
            Assert.Ignore("Node.js is not on PATH: install Node 18+ and npm (apt-get install nodejs npm) to validate GraphQL documents against the schema.");
        if (InstallGraphQL.Value is { } why) Assert.Ignore(why);
        var schema = FindSchema(repo);
        if (schema is null)
            Assert.Ignore($"{SchemaFile} not found: put it in <repo>/../shared/ or set SHOPIFY_ADMIN_SCHEMA to its path.");

        var start = new ProcessStartInfo(node, [Path.Combine(tool, "validate.mjs"), schema])
        {
            WorkingDirectory = repo,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(JsonSerializer.Serialize(documents));
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill();
            Assert.Fail("graphql-validate did not finish within 120 s");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// graphql-js, as package-lock.json pins it: installed by the test itself (`npm ci`, once per run) when missing, so a
    /// fresh clone validates without a manual step. Null when it is there; else why not and what to install.
    /// </summary>
    private static readonly Lazy<string?> InstallGraphQL = new(() =>
    {
        var tool = Path.Combine(RepoRoot(), "tools", "graphql-validate");
        if (Directory.Exists(Path.Combine(tool, "node_modules", "graphql"))) return null;
        var npm = FindOnPath(OperatingSystem.IsWindows() ? "npm.cmd" : "npm");
        if (npm is null)
            return $"graphql-js is not installed and npm is not on PATH: install npm (apt-get install npm), or run `npm ci` in {tool}.";
        var start = new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        {
            WorkingDirectory = tool, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return $"`npm ci` in {tool} did not finish within 5 minutes (it needs the npm registry); run it by hand.";
        }
        var output = (stdout.Result + stderr.Result).Trim();
        TestContext.Progress.WriteLine($"npm ci in {tool}: exit {process.ExitCode}");
        return process.ExitCode == 0 && Directory.Exists(Path.Combine(tool, "node_modules", "graphql"))
            ? null
            : $"`npm ci` in {tool} failed (exit {process.ExitCode}; it needs the npm registry): {output[Math.Max(0, output.Length - 400)..]}";
    });

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShopifyReferral.sln"))) return dir.FullName;
        throw new InvalidOperationException("ShopifyReferral.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }

    /// <summary>shared/ sits beside the repository; a git worktree may sit one level deeper, so look further up too.</summary>
    private static string? FindSchema(string repo)
    {
        if (Environment.GetEnvironmentVariable("SHOPIFY_ADMIN_SCHEMA") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : null;
        // A copy of Shopify's published schema ships with the repository, so a fresh clone validates too.
        var vendored = Path.Combine(repo, "tools", "graphql-validate", "schema", SchemaFile);
        if (File.Exists(vendored)) return vendored;
        for (var dir = Directory.GetParent(repo); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", SchemaFile);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? FindOnPath(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, file))
            .FirstOrDefault(File.Exists);
}
