using System.Globalization;
using System.Text.Json;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Webhooks;

/// <summary>The payload files under webhooks/, as test cases, plus small readers for their fields.</summary>
public static class Payloads
{
    public const long WithCodeOrderId = 5893217321195;
    public const string Shop = "demo-shop.myshopify.com";

    /// <summary>Every payload file, relative to webhooks/ ("orders/paid/with-code.json"); the replay tool's build output is not one.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Repo.Path("webhooks"), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repo.Path("webhooks"), f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("Replay/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    /// <summary>Files whose raw delivery survives handling: customers/redact blanks its own body, shop/redact deletes it (see PrivacyWebhookTests).</summary>
    public static IEnumerable<string> Kept() => Files().Where(f => f is not ("customers/redact/default.json" or "shop/redact/default.json"));

    public static IEnumerable<string> Orders() => Files().Where(f => f.StartsWith("orders/", StringComparison.Ordinal));

    public static IEnumerable<string> Refunds() => Files().Where(f => f.StartsWith("refunds/", StringComparison.Ordinal));

    /// <summary>The topic is the two folders above the file, as the replay tool derives it.</summary>
    public static string Topic(string file) => Path.GetDirectoryName(file)!.Replace('\\', '/');

    public static byte[] Bytes(string file) => Webhook.Payload(file);

    public static JsonElement Json(string file)
    {
        using var doc = JsonDocument.Parse(Bytes(file));
        return doc.RootElement.Clone();
    }

    public static decimal Money(JsonElement e, string name)
    {
        var value = e.GetProperty(name);
        // Webhook money is a string ("10.00"); refund line subtotals are JSON numbers.
        return value.ValueKind == JsonValueKind.Number
            ? value.GetDecimal()
            : decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    public static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    public static IEnumerable<JsonElement> Items(JsonElement e, string name) => e.GetProperty(name).EnumerateArray();
}
