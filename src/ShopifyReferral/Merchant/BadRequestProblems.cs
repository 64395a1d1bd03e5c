using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;

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
            StatusCodes.Status400BadRequest => Invalid(Describe(bad, http)),
            StatusCodes.Status413PayloadTooLarge => Problem(bad, "payload-too-large"),
            StatusCodes.Status415UnsupportedMediaType => Problem(bad, "unsupported-media-type"),
            _ => Problem(bad, "bad-request"),
        };
        await result.ExecuteAsync(http);
        return true;
    }

    private static IResult Invalid((string Field, string Message) e) => Problems.Invalid(e.Field, e.Message);

    private static IResult Problem(BadHttpRequestException bad, string type) =>
        TypedResults.Problem(bad.Message, statusCode: bad.StatusCode, type: Problems.Base + type);

    private static (string Field, string Message) Describe(BadHttpRequestException bad, HttpContext http)
    {
        if (bad.InnerException is JsonException json)
            return JsonBodyErrors.Describe(json, BodyType(http), http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var p = Parameter().Match(bad.Message);
        var name = p.Groups["name"];
        var field = name.Success && name.Value != "body" ? name.Value : "body";
        if (!p.Success) return (field, bad.Message);
        if (bad.Message.StartsWith("Failed to read", StringComparison.Ordinal)) return (field, "The body could not be read as JSON.");
        return (field, p.Groups["value"].Success
            ? $"'{p.Groups["value"].Value}' is not {JsonBodyErrors.Expected(p.Groups["type"].Value)}."
            : $"Required: {JsonBodyErrors.Expected(p.Groups["type"].Value)}.");
    }

    // The handler's body type; the middleware has cleared the request's endpoint by now, the feature keeps it.
    private static Type? BodyType(HttpContext http) =>
        http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
}
