using System.Text.Json;
using System.Text.RegularExpressions;

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// Finds timestamps in a JSON answer that are not ISO 8601 UTC: a number (epoch milliseconds) or a local offset in a
/// field named like a time (createdAt, created_at, holdUntil, at, start, end, from, to), or any date-time string not
/// ending in Z. Returns the JSON path and value of each.
/// </summary>
public static partial class JsonTimes
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$")]
    private static partial Regex IsoUtc();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T")]
    private static partial Regex LooksLikeDateTime();

    [GeneratedRegex(@"(At|_at|Until|_until)$|^(at|start|end|from|to)$")]
    private static partial Regex TimeName();

    public static List<string> Offenders(JsonElement root)
    {
        var found = new List<string>();
        Walk(root, "$", null, found);
        return found;
    }

    private static void Walk(JsonElement e, string path, string? name, List<string> found)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject()) Walk(p.Value, $"{path}.{p.Name}", p.Name, found);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Walk(item, $"{path}[{i++}]", null, found);
                break;
            case JsonValueKind.Number when name is not null && TimeName().IsMatch(name):
                found.Add($"{path} = {e.GetRawText()}");
                break;
            case JsonValueKind.String when (name is not null && TimeName().IsMatch(name)) || LooksLikeDateTime().IsMatch(e.GetString()!):
                if (!IsoUtc().IsMatch(e.GetString()!)) found.Add($"{path} = \"{e.GetString()}\"");
                break;
        }
    }
}
