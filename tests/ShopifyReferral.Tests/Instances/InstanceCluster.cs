using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Instances;

/// <summary>
/// Several instances of the built app as real processes on one database and one key ring, each calling the sandbox
/// store on a port of its own (so the store knows which instance a call came from), with every background job on.
/// </summary>
public sealed partial class InstanceCluster : IAsyncDisposable
{
    public const string Shop = "demo-shop.myshopify.com";

    private InstanceCluster(TestDatabase database, SandboxStore store, ServingApp[] apps)
    {
        Database = database;
        Store = store;
        Apps = apps;
    }

    public TestDatabase Database { get; }
    public SandboxStore Store { get; }
    public IReadOnlyList<ServingApp> Apps { get; }

    /// <param name="options">The store's options; its Ports is set to one per instance.</param>
    public static async Task<InstanceCluster> StartAsync(int instances, SandboxOptions options)
    {
        var database = TestDatabase.CreateMigrated();
        options.Ports = instances;
        var store = await SandboxStore.StartAsync(options);
        var apps = new ServingApp[instances];
        try
        {
            // One at a time: they migrate the same database at start (each waits on the others' migration lock anyway).
            for (var i = 0; i < instances; i++)
                apps[i] = await ServingApp.StartAsync(Repo.TempFolder(), TimeSpan.FromSeconds(120), new()
                {
                    ["Shopify__ClientId"] = options.ClientId, ["Shopify__ClientSecret"] = options.ClientSecret,
                    ["Shopify__AdminBaseUrl"] = store.AdminBaseUrlTemplateOf(i), ["Shopify__RetryBaseDelay"] = "00:00:00.050",
                    ["Webhooks__RetryBaseDelay"] = "00:00:00.500", ["Webhooks__PollInterval"] = "00:00:00.100",
                    ["Referrals__ReconcileEvery"] = "01:00:00",
                    // A dead instance's leases (inbox rows, its job and the reward it was issuing) run out after this;
                    // the live ones renew theirs every third of it, so it only sets how long the others wait.
                    ["Webhooks__LeaseDuration"] = "00:00:30", ["Jobs__LeaseDuration"] = "00:00:30",
                    ["Logging__LogLevel__ShopifyReferral.Webhooks.WebhookProcessor"] = "Debug",
                }, database);
        }
        catch
        {
            foreach (var app in apps) app?.Dispose();
            await store.DisposeAsync();
            database.Dispose();
            throw;
        }
        return new InstanceCluster(database, store, apps);
    }

    /// <summary>The instance whose calls arrive on this store port.</summary>
    public int InstanceOfPort(int port) => Store.BaseAddresses.Select(a => a.Port).ToList().IndexOf(port);

    /// <summary>Installs the shop through instance 0 (OAuth over HTTP) and saves the program every instance then reads.</summary>
    public async Task InstallAsync(ProgramSettings program)
    {
        var result = await Store.InstallAppAsync(Shop, Apps[0].BaseAddress);
        Assert.That(result.CallbackStatus, Is.EqualTo(302), "install");
        await new ProgramStore(Database.Db(), TimeProvider.System).SaveAsync(Shop, program);
    }

    /// <summary>
    /// Posts one delivery, signed by the store, to a random live instance until one answers 200, as Shopify retries
    /// (the webhook id stays the same, so every try is the same delivery).
    /// </summary>
    public async Task DeliverAsync(string topic, byte[] body, string webhookId, Random random)
    {
        for (var attempt = 1; ; attempt++)
        {
            var alive = Apps.Where(a => !a.Killed).ToList();
            var app = alive[random.Next(alive.Count)];
            var result = await Store.SendWebhookAsync(new Uri(app.BaseAddress, "/webhooks"), Shop, topic, body, webhookId);
            if (result.Succeeded) return;
            if (attempt == 20) Assert.Fail($"{topic} {webhookId} was refused 20 times; last: {result.StatusCode} {result.Error}");
            await Task.Delay(200);
        }
    }

    /// <summary>A webhooks/ payload file edited for one order of one friend using one referrer's code.</summary>
    public static byte[] OrderPayload(string file, long orderId, long friendId, string code, int n)
    {
        var json = JsonNode.Parse(Webhook.Payload(file))!.AsObject();
        json["id"] = orderId;
        json["admin_graphql_api_id"] = $"gid://shopify/Order/{orderId}";
        json["name"] = $"#{orderId % 100000}";
        json["email"] = $"friend{n}@example.com";
        json["contact_email"] = $"friend{n}@example.com";
        json["customer"]!["id"] = friendId;
        json["customer"]!["email"] = $"friend{n}@example.com";
        json["discount_codes"]![0]!["code"] = code;
        json["browser_ip"] = $"198.51.100.{n + 1}";
        json["client_details"]!["browser_ip"] = $"198.51.100.{n + 1}";
        return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    public long Count(string sql)
    {
        using var db = Database.Open();
        return db.ExecuteScalar<long>(sql);
    }

    /// <summary>Inbox rows each instance recorded as handled, from its Debug log ("Webhook {id} (topic) done on attempt n under lease x").</summary>
    public List<(int Instance, long Row)> HandledRows() =>
        [.. Apps.SelectMany((a, i) => a.Log.Select(l => Handled().Match(l)).Where(m => m.Success).Select(m => (i, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))))];

    /// <summary>Lines where an instance found its lease gone under a handler, or a refresh went wrong.</summary>
    public List<string> LeaseWarnings() =>
        [.. Apps.SelectMany(a => a.Log).Where(l => l.Contains("ran out while it was being handled") || l.Contains("was taken over by another worker")
            || l.Contains("cannot be refreshed"))];

    [GeneratedRegex(@"Webhook (\d+) \([^)]*\) (?:done|skipped|failed) on attempt \d+ under lease")]
    private static partial Regex Handled();

    public async ValueTask DisposeAsync()
    {
        foreach (var app in Apps) app.Dispose();
        await Store.DisposeAsync();
        Database.Dispose();
    }
}
