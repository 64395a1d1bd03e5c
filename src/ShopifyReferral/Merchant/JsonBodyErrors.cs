using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace ShopifyReferral.Merchant;

/// <summary>
/// What a request body's <see cref="JsonException"/> was about, as the field (camelCase, dotted, as sent) and a message
/// saying what would be right. Shared by the framework's body binding (<see cref="BadRequestProblems"/>) and the
/// bodies read by hand (the program).
/// </summary>
internal static partial class JsonBodyErrors
{
    // System.Text.Json's text for a property no member takes (UnmappedMemberHandling.Disallow).
    [GeneratedRegex("The JSON property '(?<name>.+)' could not be mapped")]
    private static partial Regex Unmapped();

    public static (string Field, string Message) Describe(JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        var path = json.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "";
        if (Unmapped().Match(json.Message) is { Success: true } m)
        {
            // The path may stop at the object holding the unknown property, or include it: name it once either way.
            var name = m.Groups["name"].Value;
            var parent = path == name || path.EndsWith("." + name, StringComparison.Ordinal) ? path[..^name.Length].TrimEnd('.') : path;
            var field = parent.Length == 0 ? name : parent + "." + name;
            var known = Info(bodyType, parent, options)?.Properties.Select(x => x.Name).ToList();
            var hint = known is { Count: > 0 } ? $" Known fields here: {string.Join(", ", known)}." : "";
            return (field, $"Unknown field '{name}'.{hint}");
        }
        if (IsConversion(json) && path.Length > 0)
            return (path, $"Must be {Expected(Info(bodyType, path, options)?.Type)}.");
        return ("body", $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
    }

    // A conversion error (right JSON, wrong type) versus a syntax error (not JSON at all).
    private static bool IsConversion(JsonException json) => json.Message.Contains("could not be converted", StringComparison.Ordinal);

    /// <summary>The contract of the value a path such as reward.value points at (names as the options write them).</summary>
    private static JsonTypeInfo? Info(Type? type, string path, JsonSerializerOptions options)
    {
        if (type is null) return null;
        options.MakeReadOnly(populateMissingResolver: true);
        var info = options.GetTypeInfo(type);
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment.Split('[')[0];
            var property = info.Properties.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
            if (property is null) return null;
            var next = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            info = options.GetTypeInfo(next);
            if (segment.Contains('[') && info.ElementType is { } element) info = options.GetTypeInfo(element);
        }
        return info;
    }

    public static string Expected(Type? type) => Expected(type is null ? "" : (Nullable.GetUnderlyingType(type) ?? type).Name);

    // Query parameters come as C# names ("Nullable<int>"), body properties as CLR names ("Int64").
    public static string Expected(string type) => type.Replace("Nullable<", "").TrimEnd('>', '?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "a whole number",
        "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => "a number",
        "bool" or "Boolean" => "true or false",
        "string" or "String" => "a string",
        "DateTimeOffset" or "DateTime" => "an ISO 8601 timestamp",
        _ when type.EndsWith("Type", StringComparison.Ordinal) || type.EndsWith("Action", StringComparison.Ordinal) => "one of the documented names",
        _ => "a value of the documented type",
    };
}
