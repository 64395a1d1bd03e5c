using Dapper;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shops;
using ShopifyReferral.Tests.Infrastructure;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Tests.Engine;

/// <summary>
/// The real app on a real port and the sandbox store, talking HTTP both ways, on one hand-moved clock. The
/// demo shop (the shop of the webhooks/ payloads) is installed; nothing runs in the background, so each test
/// drives the steps: deliver, process, sweep, issue.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public const string Shop = "demo-shop.myshopify.com";
    public const string FriendId = "207119551";
    public const long JaneId = 115310627;

    private EngineHarness(ManualTime time, SandboxStore store, TestApp app)
    {
        Time = time;
        Store = store;
        App = app;
    }

    public ManualTime Time { get; }
    public SandboxStore Store { get; }
    public TestApp App { get; }
    public HttpClient Http { get; private set; } = null!;
    public Uri WebhookUrl { get; private set; } = null!;

    /// <param name="sandbox">Changes to the sandbox store's options, e.g. market currencies.</param>
    /// <param name="settings">Overrides of the app's settings, e.g. a shorter Shopify:RequestTimeout.</param>
    public static async Task<EngineHarness> StartAsync(
        ProgramSettings? program = null, Action<SandboxOptions>? sandbox = null, Dictionary<string, string?>? settings = null)
    {
        var time = new ManualTime();
        var options = new SandboxOptions { Time = time };
        sandbox?.Invoke(options);
        var store = await SandboxStore.StartAsync(options);
        var all = new Dictionary<string, string?>
        {
            ["Shopify:ClientId"] = store.Options.ClientId, ["Shopify:ClientSecret"] = store.Options.ClientSecret,
            ["Shopify:AdminBaseUrl"] = store.AdminBaseUrlTemplate, ["Shopify:RetryBaseDelay"] = "00:00:00.010",
            ["Shopify:MinThrottleDelay"] = "00:00:00.020", ["Shopify:MaxRetryAttempts"] = "4",
            ["Webhooks:Workers"] = "0", ["Referrals:Background"] = "false",
        };
        foreach (var (k, v) in settings ?? []) all[k] = v;
        var app = new TestApp(all, time, kestrel: true);
        var h = new EngineHarness(time, store, app);
        app.StartServer();
        h.Http = app.CreateClient();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        h.WebhookUrl = new Uri(address.TrimEnd('/') + "/webhooks");
        await h.Get<ShopInstaller>().InstallAsync(Shop, store.CreateAuthorizationCode(Shop), default);
        if (program is not null) await h.Get<ProgramStore>().SaveAsync(Shop, program);
        return h;
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Jane Doe, the referrer of the payload files, with their code SAMREF-7Q2K made live in the sandbox.</summary>
    public async Task<Referrer> EnrolJaneAsync()
    {
        var jane = await Get<ReferrerService>().EnrolAsync(Shop, JaneId, "jane.doe@example.com", "Jane", "Doe", code: "SAMREF-7Q2K");
        await Get<ReferrerCodeSync>().RunOnceAsync(default);
        return jane;
    }

    /// <summary>Posts a payload file as Shopify would (signed with the sandbox's secret), then processes the inbox.</summary>
    public async Task DeliverAsync(string file, string? webhookId = null)
    {
        var topic = string.Join('/', file.Split('/')[..2]);
        var body = Webhook.Payload(file);
        var response = await Store.SendWebhookAsync(WebhookUrl, Shop, topic, body, webhookId);
        Assert.That(response.StatusCode, Is.EqualTo(200), $"{file}: {response.Error}");
        await ProcessAsync();
    }

    /// <summary>A payload file with some fields changed (e.g. another email or a later updated_at), delivered and processed.</summary>
    public async Task DeliverEditedAsync(string file, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Webhook.Payload(file))!.AsObject();
        edit(json);
        var topic = string.Join('/', file.Split('/')[..2]);
        var response = await Store.SendWebhookAsync(WebhookUrl, Shop, topic, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), null);
        Assert.That(response.StatusCode, Is.EqualTo(200), $"{file}: {response.Error}");
        await ProcessAsync();
    }

    /// <summary>Calls the merchant API as the embedded dashboard would: a fresh session token for the demo shop per request.</summary>
    public async Task<(System.Net.HttpStatusCode Status, System.Text.Json.JsonElement Body)> ApiAsync(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", Sessions.Token(Shop, Time.GetUtcNow(), Store.Options.ClientSecret, Store.Options.ClientId));
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : System.Text.Json.JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task ProcessAsync()
    {
        while (await Get<WebhookProcessor>().RunOnceAsync(default) > 0) { }
    }

    /// <summary>Lets the hold pass and runs the sweeper and the issuer.</summary>
    public async Task<int> PassHoldAndIssueAsync(int days = 15)
    {
        Time.Advance(TimeSpan.FromDays(days));
        await Get<HoldSweeper>().RunOnceAsync(default);
        return await Get<RewardIssuer>().RunOnceAsync(default);
    }

    public Referral? Referral(long orderId) => ReferralStore.FindByOrderAsync(Get<ShopifyReferral.Data.Db>(), Shop, orderId, default).GetAwaiter().GetResult();

    public IReadOnlyList<dynamic> Rewards()
    {
        using var db = App.OpenDb();
        return db.Query("SELECT * FROM rewards ORDER BY id").ToList();
    }

    public IReadOnlyList<SandboxDiscountView> RewardDiscounts() =>
        Store.Discounts(Shop).Where(d => d.Codes.Any(c => c.StartsWith("THANKS-", StringComparison.Ordinal))).ToList();

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Store.DisposeAsync();
    }
}
