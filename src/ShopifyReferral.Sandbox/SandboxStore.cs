using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ShopifyReferral.Sandbox.Faults;
using ShopifyReferral.Sandbox.GraphQL;
using ShopifyReferral.Sandbox.OAuth;
using ShopifyReferral.Sandbox.State;
using ShopifyReferral.Sandbox.Webhooks;

namespace ShopifyReferral.Sandbox;

/// <summary>
/// A local stand-in for Shopify that speaks real HTTP: OAuth token endpoint, Admin GraphQL, and a
/// webhook sender. Point the app at <see cref="AdminBaseUrlTemplate"/>; several shops share one instance.
/// </summary>
public sealed partial class SandboxStore : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TokenBook _tokens;
    private readonly WebhookSender _webhooks;
    private readonly Checkout _checkout;

    private SandboxStore(WebApplication app, SandboxOptions options, SandboxState state, TokenBook tokens,
        WebhookSender webhooks, Checkout checkout, IReadOnlyList<Uri> baseAddresses)
    {
        _app = app;
        Options = options;
        State = state;
        _tokens = tokens;
        _webhooks = webhooks;
        _checkout = checkout;
        BaseAddresses = baseAddresses;
        BaseAddress = baseAddresses[0];
    }

    public SandboxOptions Options { get; }
    public SandboxState State { get; }
    public Uri BaseAddress { get; }
    public string AdminBaseUrlTemplate => AdminBaseUrlTemplateOf(0);

    /// <summary>Every address the store serves on (<see cref="SandboxOptions.Ports"/>); the first is <see cref="BaseAddress"/>.</summary>
    public IReadOnlyList<Uri> BaseAddresses { get; }

    public string AdminBaseUrlTemplateOf(int port) => $"{BaseAddresses[port].ToString().TrimEnd('/')}/{{shop}}";

    /// <summary>Every token refresh of the shop so far, oldest first.</summary>
    public IReadOnlyList<SandboxRefresh> Refreshes(string shop) => _tokens.Refreshes(shop);

    /// <summary>Every webhook delivery so far, oldest first.</summary>
    public IReadOnlyList<WebhookDeliveryResult> Deliveries => _webhooks.Deliveries;

    public static async Task<SandboxStore> StartAsync(SandboxOptions options, CancellationToken ct = default)
    {
        // An empty builder: no appsettings, env vars or logging from the host process leak into the fake store.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SandboxStore).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().UseUrls(string.Join(';', Enumerable.Repeat(options.Url, Math.Max(1, options.Ports))));
        builder.Services.AddRoutingCore();
        var app = builder.Build();

        var state = new SandboxState(options);
        var tokens = new TokenBook(options);
        var webhooks = new WebhookSender(options);
        var checkout = new Checkout(state, webhooks, options);
        var executor = new GraphQLExecutor(ResolverRegistry.CreateDefault(), options);
        app.MapOAuth(tokens, state);
        app.MapAuthorize(tokens, options);
        app.MapGraphQL(state, tokens, executor);
        app.MapFaults(state);

        await app.StartAsync(ct);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a.TrimEnd('/') + "/")).ToList();
        return new SandboxStore(app, options, state, tokens, webhooks, checkout, addresses);
    }

    public ShopState Shop(string shop) => State.Shop(shop);

    /// <summary>
    /// A one-time code the app can exchange at <c>/{shop}/admin/oauth/access_token</c>, granting <paramref name="scopes"/>
    /// (comma separated; null: <see cref="SandboxOptions.Scopes"/>).
    /// </summary>
    public string CreateAuthorizationCode(string shop, string? scopes = null)
    {
        State.Shop(shop);
        return _tokens.CreateCode(shop, scopes);
    }

    /// <summary>Skips the OAuth dance: a live token for <paramref name="shop"/>.</summary>
    public string IssueAccessToken(string shop, bool expiring = false)
    {
        State.Shop(shop);
        return _tokens.Issue(shop, expiring, retires: null).AccessToken;
    }

    /// <summary>What uninstall does to tokens: all of the shop's tokens stop working at once.</summary>
    public void RevokeTokens(string shop) => _tokens.RevokeShop(shop);

    /// <summary>What uninstall does: tokens revoked and the API-made webhook subscriptions deleted (docs/shopify-facts.md#compliance-webhooks-and-uninstall).</summary>
    public void Uninstall(string shop)
    {
        _tokens.RevokeShop(shop);
        State.Shop(shop).ClearWebhookSubscriptions();
    }

    public int RefreshCount(string shop) => _tokens.RefreshCount(shop);

    public Uri GraphQLUrl(string shop, string version = "2026-10") =>
        new(BaseAddress, $"{shop}/admin/api/{version}/graphql.json");

    public Task<IReadOnlyList<WebhookDeliveryResult>> PlaceOrderAsync(string shop, SandboxOrder order,
        Uri webhookTarget, CancellationToken ct = default) => _checkout.PlaceAsync(shop, order, webhookTarget, ct);

    public Task<WebhookDeliveryResult> SendWebhookAsync(Uri target, string shop, string topic, byte[] body,
        string? webhookId = null, CancellationToken ct = default) =>
        _webhooks.SendAsync(target, shop, topic, body, webhookId, eventId: null, ct);

    /// <summary>Signs a body exactly as deliveries are signed, for tests that post by hand.</summary>
    public string Sign(byte[] body) => WebhookSender.Sign(body, Options.ClientSecret);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _webhooks.Dispose();
    }
}
