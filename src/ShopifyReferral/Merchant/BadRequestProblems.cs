using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using ShopifyReferral.Dashboard;

namespace ShopifyReferral.Merchant;

/// <summary>
/// ASP.NET refuses some requests before a handler runs: a query value that does not bind (?days=abc), a body that is
/// not JSON, a JSON value of the wrong type. It throws (RouteHandlerOptions.ThrowOnBadRequest) and this turns the
/// exception into the validation problem the handlers answer, naming the field, instead of an empty 400.
/// </summary>
internal sealed partial class BadRequestProblems : IExceptionHandler
{
    // The framework's messages name the parameter as "<type> <name>", e.g. Failed to bind parameter "int? days" from "abc".
    [GeneratedRegex("""parameter "(?<type>[^" ]+) (?<name>[^"]+)"(?: from "(?<value>[^"]*)")?""")]
    private static partial Regex Parameter();

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not BadHttpRequestException bad) return false;
        IResult result = bad.StatusCode switch
        {
            StatusCodes.Status400BadRequest => Problems.Invalid(Field(bad), Message(bad, BodyType(http))),
            StatusCodes.Status413PayloadTooLarge => Problem(bad, "payload-too-large"),
            StatusCodes.Status415UnsupportedMediaType => Problem(bad, "unsupported-media-type"),
            _ => Problem(bad, "bad-request"),
        };
        await result.ExecuteAsync(http);
        return true;
    }

    private static IResult Problem(BadHttpRequestException bad, string type) =>
        TypedResults.Problem(bad.Message, statusCode: bad.StatusCode, type: Problems.Base + type);

    /// <summary>The JSON property at fault (camelCase, as sent), else the parameter's name; "body" for JSON that does not parse.</summary>
    private static string Field(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
            return IsConversion(json) && json.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";
        var name = Parameter().Match(bad.Message).Groups["name"];
        return name.Success && name.Value != "body" ? name.Value : "body";
    }

    /// <summary>What was wrong, and what a right value looks like (from the type of the parameter or body property).</summary>
    private static string Message(BadHttpRequestException bad, Type? bodyType)
    {
        if (bad.InnerException is JsonException json)
            return IsConversion(json)
                ? $"Must be {Expected(PropertyType(bodyType, json.Path!))}."
                : $"The body is not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).";
        var p = Parameter().Match(bad.Message);
        if (!p.Success) return bad.Message;
        if (bad.Message.StartsWith("Failed to read", StringComparison.Ordinal)) return "The body could not be read as JSON.";
        return p.Groups["value"].Success
            ? $"'{p.Groups["value"].Value}' is not {Expected(p.Groups["type"].Value)}."
            : $"Required: {Expected(p.Groups["type"].Value)}.";
    }

    // A conversion error (right JSON, wrong type) versus a syntax error (not JSON at all).
    private static bool IsConversion(JsonException json) => json.Message.Contains("could not be converted", StringComparison.Ordinal);

    // The handler's body type; the middleware has cleared the request's endpoint by now, the feature keeps it.
    private static Type? BodyType(HttpContext http) =>
        http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    // The property a JSON path such as $.reward.value points at, for its type (JSON names match case-insensitively).
    private static string PropertyType(Type? type, string path)
    {
        foreach (var name in path.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
            type = type?.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance
                | System.Reflection.BindingFlags.IgnoreCase)?.PropertyType;
        return type is null ? "" : (Nullable.GetUnderlyingType(type) ?? type).Name;
    }

    // Query parameters come as C# names ("Nullable<int>"), body properties as CLR names ("Int64").
    private static string Expected(string type) => type.Replace("Nullable<", "").TrimEnd('>', '?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "a whole number",
        "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => "a number",
        "bool" or "Boolean" => "true or false",
        "string" or "String" => "a string",
        "DateTimeOffset" or "DateTime" => "an ISO 8601 timestamp",
        _ => "a value of the documented type",
    };
}
