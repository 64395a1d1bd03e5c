namespace ShopifyReferral.Dashboard;

/// <summary>The dashboard's ProblemDetails, each with a stable type a client can switch on.</summary>
internal static class Problems
{
    private const string Base = "https://shopifyreferral.dev/problems/";

    public static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, type: Base + "not-found", title: "Not found");

    public static IResult BadRequest(string detail) => TypedResults.Problem(detail, statusCode: 400, type: Base + "bad-request", title: "Bad request");

    public static IResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, type: Base + "conflict", title: "Conflict");

    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: Base + "validation", title: "Some values are not valid");

    /// <summary>Parses an optional yyyy-MM-dd (or ISO 8601) query value as UTC; false with a message when malformed.</summary>
    public static bool TryDate(string? text, string name, out DateTimeOffset? value, out string? error)
    {
        value = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var d))
        {
            value = d;
            return true;
        }
        error = $"'{name}' must be a date such as 2026-11-01 (got '{text}').";
        return false;
    }
}
