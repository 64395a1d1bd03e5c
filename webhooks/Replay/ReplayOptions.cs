namespace ShopifyReferral.Replay;

/// <summary>The command line, parsed; every problem is an ArgumentException whose message says what to fix.</summary>
internal sealed record ReplayOptions(
    string File, Uri Url, string Secret, string Shop, string Topic, string WebhookId, bool Twice, bool PrintSignature)
{
    public static ReplayOptions Parse(IReadOnlyList<string> args)
    {
        string? file = null, topic = null, webhookId = null;
        var url = "http://127.0.0.1:5000/webhooks";
        var secret = Environment.GetEnvironmentVariable("Shopify__ClientSecret") is { Length: > 0 } env ? env : "sandbox-client-secret";
        var shop = "demo-shop.myshopify.com";
        bool twice = false, print = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--url": url = Value(args, ref i); break;
                case "--secret": secret = Value(args, ref i); break;
                case "--shop": shop = Value(args, ref i); break;
                case "--topic": topic = Value(args, ref i); break;
                case "--webhook-id": webhookId = Value(args, ref i); break;
                case "--twice": twice = true; break;
                case "--print-signature": print = true; break;
                default:
                    if (arg.StartsWith('-')) throw new ArgumentException($"Unknown option '{arg}'.");
                    if (file is not null) throw new ArgumentException($"Only one payload file, got '{file}' and '{arg}'.");
                    file = arg;
                    break;
            }
        }
        if (file is null) throw new ArgumentException("Give the payload file, e.g. webhooks/orders/paid/with-code.json.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--url '{url}' is not an absolute http(s) URL.");
        if (secret.Length == 0) throw new ArgumentException("--secret must not be empty.");
        topic ??= TopicFromPath(file)
            ?? throw new ArgumentException($"Cannot tell the topic from '{file}'; pass --topic (e.g. orders/paid).");
        return new(file, uri, secret, shop, topic, webhookId ?? Guid.NewGuid().ToString(), twice, print);
    }

    /// <summary>webhooks/orders/paid/with-code.json is topic orders/paid: the two folders above the file.</summary>
    public static string? TopicFromPath(string file)
    {
        var resource = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file));
        var noun = System.IO.Path.GetDirectoryName(resource);
        return resource is null || noun is null ? null : $"{System.IO.Path.GetFileName(noun)}/{System.IO.Path.GetFileName(resource)}";
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal)
            ? args[i]
            : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
