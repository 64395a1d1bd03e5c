using Microsoft.Playwright;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// Headless Chromium through Playwright, using the distribution's /usr/bin/chromium (Playwright's own browser
/// download is not available here). Tests call <see cref="LaunchOrIgnoreAsync"/>, which skips with the reason
/// when chromium is missing (`apt-get install chromium`).
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<DashboardBrowser> LaunchOrIgnoreAsync()
    {
        var path = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : ChromiumPath;
        if (!File.Exists(path)) Assert.Ignore($"Chromium not found at {path}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // No sandbox as root in a container; no GPU; and nothing that phones home or updates itself mid-test.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        return new DashboardBrowser(playwright, browser);
    }

    /// <summary>Saves a screenshot under artifacts/screenshots/ and attaches it to the test result.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Repo.Path("artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.AddTestAttachment(file, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
