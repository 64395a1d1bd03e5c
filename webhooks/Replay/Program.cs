namespace ShopifyReferral.Replay;

/// <summary>
/// dotnet run --project webhooks/Replay -- webhooks/orders/paid/with-code.json [options]
/// Exit codes: 0 every delivery got a 2xx, 1 a delivery failed (non-2xx or no connection), 2 bad arguments.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: Replay <payload.json> [options]
          Signs the file's raw bytes with the client secret and POSTs them as a Shopify webhook delivery.
          --url <url>          where to post (default http://127.0.0.1:5000/webhooks)
          --secret <secret>    HMAC key, the app's client secret (default: env Shopify__ClientSecret, else sandbox-client-secret)
          --shop <domain>      X-Shopify-Shop-Domain (default demo-shop.myshopify.com)
          --topic <topic>      X-Shopify-Topic (default: the two folders above the file, e.g. orders/paid)
          --webhook-id <id>    X-Shopify-Webhook-Id (default: a fresh GUID)
          --twice              send the same delivery twice (same webhook id), as a Shopify retry would
          --print-signature    print the base64 HMAC of the file and exit without posting
        Example: dotnet run --project webhooks/Replay -- webhooks/orders/paid/with-code.json --twice
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        ReplayOptions o;
        byte[] body;
        try
        {
            o = ReplayOptions.Parse(args);
            body = await File.ReadAllBytesAsync(o.File);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("Error: " + ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (o.PrintSignature)
        {
            Console.WriteLine(WebhookSigner.Sign(o.Secret, body));
            return 0;
        }

        var delivery = new Delivery(o.Topic, o.Shop, o.WebhookId, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var failed = false;
        for (var i = 0; i < (o.Twice ? 2 : 1); i++)
        {
            var label = $"POST {o.Url} topic={o.Topic} shop={o.Shop} webhook-id={o.WebhookId}";
            try
            {
                using var response = await http.SendAsync(WebhookSigner.Request(o.Url, body, o.Secret, delivery));
                Console.WriteLine($"{label} -> {(int)response.StatusCode} {response.ReasonPhrase}");
                if (!response.IsSuccessStatusCode)
                {
                    failed = true;
                    var detail = await response.Content.ReadAsStringAsync();
                    if (detail.Length > 0) Console.WriteLine("  " + detail);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Console.WriteLine($"{label} -> failed: {ex.Message}");
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
