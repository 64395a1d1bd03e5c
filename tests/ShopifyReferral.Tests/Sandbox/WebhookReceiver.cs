using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ShopifyReferral.Tests.Sandbox;

/// <summary>A tiny real Kestrel endpoint that verifies webhook HMACs the way the app must (raw bytes, fixed time).</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(IHeaderDictionary Headers, byte[] Body, bool HmacValid);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;
    public IReadOnlyList<Received> All => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(string secret, int status = 200)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/webhooks", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var valid = Verify(body, request.Headers["X-Shopify-Hmac-Sha256"].ToString(), secret);
            receiver._received.Enqueue(new Received(new HeaderDictionary(request.Headers.ToDictionary()), body, valid));
            return valid ? Results.StatusCode(status) : Results.Unauthorized();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address.TrimEnd('/') + "/webhooks");
        return receiver;
    }

    private static bool Verify(byte[] body, string header, string secret)
    {
        Span<byte> given = stackalloc byte[64];
        if (!Convert.TryFromBase64String(header, given, out var n)) return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, given[..n]);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
