using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using ShopifyReferral.Data;
using ShopifyReferral.Webhooks;

namespace ShopifyReferral.Bench;

/// <summary>orders/paid deliveries with the referrer's code put straight in the inbox, and workers draining it.</summary>
internal static class Inbox
{
    /// <summary>
    /// N deliveries of the webhooks/ payload: guest checkouts (so "friend not new" is answered from the database),
    /// each from its own friend. The payload's client_details.browser_ip, which the recorder prefers, is the same on
    /// all unless <paramref name="ownIps"/>: then each order comes from its own address too.
    /// </summary>
    public static async Task SeedAsync(Db db, string shop, int orders, bool ownIps = false)
    {
        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "webhooks/orders/paid/with-code.json")))!.AsObject();
        await using var conn = await db.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        for (var i = 0; i < orders; i++)
        {
            var o = template.DeepClone().AsObject();
            o["id"] = 7_000_000_000_000 + i;
            o["name"] = $"#B{i}";
            o["email"] = $"friend{i}@example.com";
            o["contact_email"] = $"friend{i}@example.com";
            o["customer"] = null; // guest: no Admin API call for numberOfOrders
            o["browser_ip"] = $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}";
            if (ownIps) o["client_details"]!["browser_ip"] = o["browser_ip"]!.GetValue<string>();
            await conn.ExecuteAsync("""
                INSERT INTO webhook_inbox (shop, topic, webhook_id, body, received_at, status, due_at)
                VALUES (@shop, 'orders/paid', @id, @body, 0, 'pending', 0)
                """, new { shop, id = $"bench-{i}", body = Encoding.UTF8.GetBytes(o.ToJsonString()) }, tx);
        }
        await tx.CommitAsync();
    }

    /// <summary>W workers run the real WebhookProcessor until the inbox is empty; the time it took.</summary>
    public static async Task<TimeSpan> DrainAsync(WebhookProcessor processor, int workers)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (await processor.RunOnceAsync(default) > 0) { }
        })));
        return clock.Elapsed;
    }
}
