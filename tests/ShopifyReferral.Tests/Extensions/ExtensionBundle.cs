using System.Diagnostics;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Extensions;

/// <summary>
/// The built extension bundles the sandbox preview loads. CI builds them before the .NET tests; a plain `dotnet test`
/// on a fresh clone builds them here (`npm ci`, `npm run build` at the repository root), or says what to install.
/// </summary>
public static class ExtensionBundle
{
    public static string ThankYou => Repo.Path("extensions", "referral-thank-you", "dist", "thank-you.js");

    /// <summary>Null when the bundles are there; else why not.</summary>
    public static readonly Lazy<string?> Ensure = new(() =>
    {
        if (File.Exists(ThankYou)) return null;
        var npm = new[] { "/usr/bin/npm", "/usr/local/bin/npm" }.FirstOrDefault(File.Exists);
        if (npm is null) return "the extension bundle is not built and npm is not installed: apt-get install npm, then `npm ci && npm run build`.";
        if (!Directory.Exists(Repo.Path("node_modules", "@shopify", "ui-extensions")) && Run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error") is { } ci)
            return "`npm ci` at the repository root failed (it needs the npm registry): " + ci;
        return Run(npm, "run", "build") is { } build ? "`npm run build` failed: " + build : File.Exists(ThankYou) ? null : "the build wrote no bundle";
    });

    private static string? Run(string npm, params string[] args)
    {
        var start = new ProcessStartInfo(npm, args) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return "did not finish within 5 minutes";
        }
        var text = (output.Result + errors.Result).Trim();
        return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {text[Math.Max(0, text.Length - 400)..]}";
    }
}
