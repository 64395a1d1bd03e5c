using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Extensions.Options;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;
using static ShopifyReferral.Tests.Webhooks.Payloads;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>webhooks/Replay run as a process (dotnet Replay.dll) against the real app listening on a Kestrel port.</summary>
public class ReplayToolTests
{
    private static readonly string ReplayDll = Path.Combine(AppContext.BaseDirectory, "Replay.dll");
    private TestApp _app = null!;
    private string _url = null!;

    [SetUp]
    public void Start()
    {
        _app = new TestApp(kestrel: true);
        _url = new Uri(_app.CreateClient().BaseAddress!, "/webhooks").ToString();
    }

    [TearDown]
    public void Stop() => _app?.Dispose();

    [Test]
    public async Task Replay_OrderPaid_Gets200_AndTheAppStoresTheOrder()
    {
        var (code, output) = await RunAsync(Payload("orders/paid/with-code.json"), "--url", _url, "--secret", TestApp.Secret, "--shop", Shop);

        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("-> 200 OK"));
        await Eventually.True(() => _app.Count("SELECT COUNT(*) FROM orders WHERE order_id = @id", new { id = WithCodeOrderId }) == 1,
            TimeSpan.FromSeconds(10), "the order row");
        using var db = _app.OpenDb();
        var row = db.QuerySingle("SELECT topic, shop, api_version, event_id, triggered_at, body FROM webhook_inbox");
        Assert.Multiple(() =>
        {
            Assert.That((string)row.topic, Is.EqualTo("orders/paid"), "topic taken from the file's folders");
            Assert.That((string)row.shop, Is.EqualTo(Shop));
            Assert.That((string)row.api_version, Is.EqualTo("2026-10"));
            Assert.That(Guid.TryParse((string)row.event_id, out _), Is.True);
            Assert.That((string)row.triggered_at, Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"));
            Assert.That((byte[])row.body, Is.EqualTo(Bytes("orders/paid/with-code.json")));
        });
    }

    [Test]
    public async Task Replay_Twice_SendsOneWebhookIdTwice_AndOneRowIsStored()
    {
        var (code, output) = await RunAsync(Payload("refunds/create/full.json"), "--url", _url, "--secret", TestApp.Secret,
            "--shop", Shop, "--webhook-id", "replay-twice-1", "--twice");

        Assert.That(code, Is.Zero, output);
        Assert.That(output.Split('\n').Count(l => l.Contains("webhook-id=replay-twice-1 -> 200 OK")), Is.EqualTo(2), output);
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox"), Is.EqualTo(1));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE webhook_id = 'replay-twice-1' AND topic = 'refunds/create'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Replay_TopicOption_OverridesTheFolder()
    {
        var (code, output) = await RunAsync(Payload("orders/paid/with-code.json"), "--url", _url, "--secret", TestApp.Secret, "--topic", "orders/updated");
        Assert.That(code, Is.Zero, output);
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox WHERE topic = 'orders/updated' AND shop = 'demo-shop.myshopify.com'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Replay_WrongSecret_Prints401_AndExits1()
    {
        var (code, output) = await RunAsync(Payload("orders/paid/with-code.json"), "--url", _url, "--secret", "not-the-secret");
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("-> 401").And.Contain("invalid-hmac"));
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox"), Is.Zero);
    }

    [Test]
    public async Task Replay_NothingListening_Exits1()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (code, output) = await RunAsync(Payload("orders/paid/with-code.json"), "--url", $"http://127.0.0.1:{port}/webhooks");
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("failed"));
    }

    [Test]
    public async Task Replay_PrintSignature_PrintsWhatTheAppAccepts_AndPostsNothing()
    {
        var (code, output) = await RunAsync(Payload("shop/redact/default.json"), "--secret", "sandbox-client-secret", "--print-signature", "--url", _url);
        var verifier = new WebhookSignature(Options.Create(new ShopifyOptions { ClientSecret = "sandbox-client-secret" }));
        Assert.That(code, Is.Zero, output);
        Assert.That(verifier.IsValid(Bytes("shop/redact/default.json"), output.Trim()), Is.True, output);
        Assert.That(_app.Count("SELECT COUNT(*) FROM webhook_inbox"), Is.Zero);
    }

    [TestCase(TestName = "Replay_NoArguments_Exits2WithUsage")]
    [TestCase("--bogus", TestName = "Replay_UnknownOption_Exits2WithUsage")]
    [TestCase("webhooks/orders/paid/missing.json", TestName = "Replay_MissingFile_Exits2WithUsage")]
    [TestCase("webhooks/orders/paid/with-code.json", "--url", TestName = "Replay_OptionWithoutValue_Exits2WithUsage")]
    [TestCase("webhooks/orders/paid/with-code.json", "--url", "ftp://x/webhooks", TestName = "Replay_NonHttpUrl_Exits2WithUsage")]
    [TestCase("webhooks/orders/paid/with-code.json", "webhooks/orders/paid/test-order.json", TestName = "Replay_TwoFiles_Exits2WithUsage")]
    public async Task Replay_BadArguments_Exits2WithUsage(params string[] args)
    {
        var (code, output) = await RunAsync(args);
        Assert.That(code, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("Error: ").And.Contain("Usage: Replay <payload.json>"));
    }

    [Test]
    public async Task Replay_Help_PrintsUsage_AndExits0()
    {
        var (code, output) = await RunAsync("--help");
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.StartWith("Usage: Replay <payload.json>").And.Contain("--twice").And.Not.Contain("Error"));
    }

    private static string Payload(string relative) => Repo.Path("webhooks", relative);

    /// <summary>Runs the built tool from the repository root; returns its exit code and stdout + stderr.</summary>
    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [ReplayDll, .. args])
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("Shopify__ClientSecret");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            Assert.Fail("Replay did not finish within 60 s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
