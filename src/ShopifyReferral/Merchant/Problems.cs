namespace ShopifyReferral.Merchant;

/// <summary>The dashboard's ProblemDetails, each with a stable type a client can switch on.</summary>
internal static class Problems
{
    public const string Base = "https://shopifyreferral.dev/problems/";
    public const string Validation = Base + "validation";

    public static IResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, type: Base + "not-found", title: "Not found");

    public static IResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: 409, type: Base + "conflict", title: "Conflict");

    /// <summary>Every 400 of the merchant API: the fields that are wrong, each with what a right value looks like.</summary>
    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, type: Validation, title: "Some values are not valid");

    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
