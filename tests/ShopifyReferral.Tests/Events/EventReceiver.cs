using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ShopifyReferral.Tests.Events;

/// <summary>One POST as the receiver saw it, with its signature checked by the test's own HMAC, not the app's code.</summary>
public sealed record Received(string WebhookId, long Timestamp, string Signature, byte[] Body, int AnsweredWith, bool SignatureValid)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>
/// A merchant's receiver on a real port (Kestrel on 127.0.0.1:0): records every POST, answers with what <see cref="Answer"/>
/// says (200 unless told), and verifies each signature against <see cref="Secret"/> by the Standard Webhooks rule.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private EventReceiver(WebApplication app) => _app = app;

    /// <summary>The status to answer the n-th request (from 1) with.</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    /// <summary>The secret the endpoint was registered with (set after the API answered).</summary>
    public string Secret { get; set; } = "";

    public string Url { get; private set; } = "";

    public IReadOnlyList<Received> All => _received.ToList();

    public IReadOnlyList<Received> Accepted => _received.Where(r => r.AnsweredWith is >= 200 and < 300).ToList();

    public static async Task<EventReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new EventReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var id = http.Request.Headers["webhook-id"].ToString();
            var ts = long.TryParse(http.Request.Headers["webhook-timestamp"], out var t) ? t : -1;
            var signature = http.Request.Headers["webhook-signature"].ToString();
            var status = receiver.Answer(receiver._received.Count + 1);
            receiver._received.Enqueue(new Received(id, ts, signature, body, status, Verify(receiver.Secret, id, ts, body, signature)));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    /// <summary>
    /// The receiver's side of Standard Webhooks, written from the convention: base64-decode the secret after "whsec_",
    /// HMAC-SHA256 "{id}.{timestamp}.{body}", and compare with any "v1," entry of the space-separated header.
    /// </summary>
    public static bool Verify(string secret, string id, long timestamp, byte[] body, string header)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal) || timestamp < 0) return false;
        using var hmac = new HMACSHA256(Convert.FromBase64String(secret["whsec_".Length..]));
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp + ".");
        hmac.TransformBlock(prefix, 0, prefix.Length, null, 0);
        hmac.TransformFinalBlock(body, 0, body.Length);
        var expected = hmac.Hash!;
        return header.Split(' ').Any(part => part.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(part[3..]), expected));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
