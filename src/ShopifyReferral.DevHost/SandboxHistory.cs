using ShopifyReferral.Referrals;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Storefront;

namespace ShopifyReferral.DevHost;

/// <summary>
/// Sixty days of a small shop's life, so the first look at the dashboard has something to show: orders with and
/// without referral codes placed on past days through the real webhook path (the sandbox signs and posts
/// orders/create and orders/paid), share clicks on every channel, three friends of one referrer ordering from one
/// address within a day (held for review, with the rule's evidence), and a refunded referred order (voided, its
/// reward clawed back). Seeded, so every run shows the same shop.
/// </summary>
internal sealed class SandboxHistory(SandboxStore store, IServiceProvider services, TimeProvider time, ILogger log)
{
    public const int Days = 60;
    private static readonly (long Id, string First, string Last, string Code)[] Referrers =
    [
        (115310627, "Jane", "Doe", "SAMREF-7Q2K"), (115310628, "Omar", "Haddad", "OMAR-4KXM"), (115310629, "Li", "Wei", "LIWEI-8RTP"),
        (115310630, "Ana", "Souza", "ANA-3HQZ"), (115310631, "Tom", "Berg", "TOMB-9WCD"),
    ];

    public async Task RunAsync(string shop, Uri webhooks, CancellationToken ct)
    {
        var random = new Random(2026);
        var referrers = services.GetRequiredService<ReferrerService>();
        var clicks = services.GetRequiredService<StorefrontStore>();
        var enrolled = new List<Referrer>();
        foreach (var (id, first, last, code) in Referrers)
        {
            var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.com";
            store.AddCustomer(shop, email, id: id);
            enrolled.Add(await referrers.EnrolAsync(shop, id, email, first, last, code, ct));
        }
        await services.GetRequiredService<ReferrerCodeSync>().RunOnceAsync(ct); // the codes exist in the store before anyone uses them

        var today = time.GetUtcNow().UtcDateTime.Date;
        int plain = 0, referred = 0;
        long friend = 300_000_000;
        long? refundable = null;
        for (var day = Days; day >= 1; day--)
        {
            var date = new DateTimeOffset(today.AddDays(-day), TimeSpan.Zero);
            foreach (var r in enrolled)
                for (var c = random.Next(0, 4); c > 0; c--)
                    await clicks.RecordClickAsync(shop, r.Id, r.Code, ShareLinks.Channels[random.Next(ShareLinks.Channels.Length)],
                        $"198.51.{random.Next(1, 250)}.{random.Next(1, 250)}", date.AddHours(random.Next(8, 22)), ct);
            for (var n = random.Next(2, 6); n > 0; n--)
            {
                await PlaceAsync(shop, webhooks, new SandboxOrder
                {
                    CustomerId = 400_000_000 + plain, Email = $"shopper.{plain}@example.com", FirstName = "Sam", LastName = "Shopper",
                    Subtotal = 20m + random.Next(0, 160), BrowserIp = $"203.0.113.{plain % 250 + 1}", PlacedAt = date.AddHours(random.Next(8, 22)),
                }, ct);
                plain++;
            }
            if (day % 2 != 0) continue;
            var referrer = enrolled[random.Next(enrolled.Count)];
            var id = friend++;
            var order = await PlaceAsync(shop, webhooks, Friend(id, referrer.Code, $"192.0.2.{referred % 250 + 1}", date.AddHours(random.Next(8, 22)), random), ct);
            if (day == 20) refundable = order;
            referred++;
        }
        // One referrer's three friends order from one address on one evening: more than the program's two per day, so
        // the third is held for the merchant to look at.
        var busy = DateTimeOffset.UtcNow.AddDays(-1).Date;
        for (var i = 0; i < 3; i++)
            await PlaceAsync(shop, webhooks, Friend(friend++, enrolled[3].Code, "198.51.100.77", new DateTimeOffset(busy.AddHours(19 + i), TimeSpan.Zero), random), ct);
        if (refundable is { } refund)
        {
            var order = store.Orders(shop).Single(o => o.Id == refund);
            await store.RefundAsync(shop, refund, order.Source.Subtotal - order.DiscountAmount, webhooks, ct);
        }
        log.LogInformation("Demo: {Days} days of history placed through the webhook path: {Plain} orders without a code, {Referred} referred, share clicks on {Channels} channels, a refund",
            Days, plain, referred + 3, ShareLinks.Channels.Length);
    }

    private static SandboxOrder Friend(long id, string code, string ip, DateTimeOffset at, Random random) => new()
    {
        CustomerId = id, Email = $"friend.{id}@example.com", FirstName = "Friend", LastName = $"No{id % 1000}", DiscountCode = code,
        Subtotal = 40m + random.Next(0, 120), BrowserIp = ip, PlacedAt = at,
    };

    private async Task<long> PlaceAsync(string shop, Uri webhooks, SandboxOrder order, CancellationToken ct)
    {
        var deliveries = await store.PlaceOrderAsync(shop, order, webhooks, ct);
        if (deliveries.Any(d => d.StatusCode != 200))
            log.LogWarning("Demo: a history order's webhook was answered {Status}", string.Join("/", deliveries.Select(d => d.StatusCode)));
        return store.Orders(shop)[^1].Id;
    }
}
