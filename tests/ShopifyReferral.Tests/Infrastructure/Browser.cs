using Microsoft.Playwright;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// Real headless Chromium for browser tests: Debian's /usr/bin/chromium (or CHROMIUM_PATH) driven by Playwright;
/// Playwright's own browser download cannot work here and is never used. Without a browser the test is ignored
/// with the reason, never silently passed.
/// <code>
/// await using var browser = await Browser.LaunchAsync();           // Assert.Ignore when chromium is missing
/// var page = await browser.NewPageAsync(app.Server.BaseAddress);   // fresh context: own cookies, 390x844 by default
/// await page.GotoAsync("/proxy?...");
/// await Browser.ScreenshotAsync(page, "proxy-anonymous");            // artifacts/screenshots/..., attached to the test
/// </code>
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public static string ExecutablePath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    /// <summary>Where screenshots go: artifacts/screenshots/ at the repository root (CI keeps artifacts/).</summary>
    public static string ScreenshotFolder => Repo.Path("artifacts", "screenshots");

    public IBrowser Chromium { get; }

    /// <summary>Launches headless Chromium, or ignores the calling test with the reason when it cannot.</summary>
    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            Assert.Ignore($"Browser test skipped: no Chromium at {ExecutablePath} (apt-get install chromium, or set CHROMIUM_PATH).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
                Timeout = 30_000,
            });
            return new Browser(playwright, chromium);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A page in a fresh context (no shared cookies between pages). Defaults to a phone-sized viewport.</summary>
    public async Task<IPage> NewPageAsync(Uri? baseUrl = null, int width = 390, int height = 844)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl?.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page with JavaScript off, to prove a page works without it.</summary>
    public async Task<IPage> NewPageWithoutScriptAsync(Uri? baseUrl = null)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl?.ToString().TrimEnd('/'), JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a full-page PNG as artifacts/screenshots/{name}.png and attaches it to the current test.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.CloseAsync();
        _playwright.Dispose();
    }
}
