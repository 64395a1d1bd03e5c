using System.Text.Json;
using System.Text.Json.Serialization;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Merchant;

/// <summary>What PUT takes: GET's body; version and createdAt are the server's and are not read.</summary>
public sealed record ProgramRequest(JsonElement? Version, JsonElement? CreatedAt, ProgramSettings? Settings);

// Written with the engine's serializer options (not the API's), so the time format is set here.
public sealed record ProgramResponse(int Version, [property: JsonConverter(typeof(UtcJson))] DateTimeOffset CreatedAt, ProgramSettings Settings);

/// <summary>
/// GET/PUT /api/program: the shop's active program. JSON as the engine stores it (camelCase, enums in snake_case,
/// e.g. "fixed_amount"). A PUT writes a new version; referrals already judged keep the version they were judged under.
/// </summary>
public static class ProgramApi
{
    public static RouteGroupBuilder MapProgramApi(this RouteGroupBuilder api)
    {
        var program = api.MapGroup("/program").WithTags("Program");
        program.MapGet("", Get).WithSummary("The active program version and its settings").Produces<ProgramResponse>();
        program.MapPut("", Put).WithSummary("Save new settings as the next program version (GET's shape or bare settings)").Produces<ProgramResponse>();
        return api;
    }

    // The engine's options (snake_case enums are the contract), refusing a field no setting takes: a typo such as
    // "holdDay" would otherwise save the default in its place.
    private static readonly JsonSerializerOptions Strict = new(ProgramStore.Json) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    private static async Task<IResult> Get(HttpContext http, ProgramStore programs)
    {
        var p = await programs.GetActiveAsync(http.ShopSession().Shop, http.RequestAborted);
        return TypedResults.Json(new ProgramResponse(p.Version, p.CreatedAt, p.Settings), ProgramStore.Json);
    }

    /// <summary>
    /// Takes GET's shape ({version, createdAt, settings}: the first two are the server's and are not read, so GET's
    /// body sent back as it came saves the same settings) or the bare settings object, as earlier releases took.
    /// </summary>
    private static async Task<IResult> Put(HttpContext http, ProgramStore programs)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid(ex, typeof(ProgramSettings));
        }
        ProgramSettings? settings;
        using (doc)
        {
            var root = doc.RootElement;
            var wrapped = root.ValueKind == JsonValueKind.Object
                && root.EnumerateObject().Any(p => string.Equals(p.Name, "settings", StringComparison.OrdinalIgnoreCase));
            try
            {
                settings = wrapped ? root.Deserialize<ProgramRequest>(Strict)?.Settings : root.Deserialize<ProgramSettings>(Strict);
            }
            catch (JsonException ex)
            {
                return Invalid(ex, wrapped ? typeof(ProgramRequest) : typeof(ProgramSettings));
            }
        }
        if (settings is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["settings"] = ["A program object is required."] },
                type: "https://shopifyreferral.dev/problems/validation");

        var (saved, errors) = await programs.SaveAsync(http.ShopSession().Shop, settings, http.RequestAborted);
        if (saved is null)
            return TypedResults.ValidationProblem(errors, detail: "The program was not saved.", type: "https://shopifyreferral.dev/problems/validation");
        return TypedResults.Json(new ProgramResponse(saved.Version, saved.CreatedAt, saved.Settings), ProgramStore.Json);
    }

    private static IResult Invalid(JsonException ex, Type body)
    {
        var (field, message) = JsonBodyErrors.Describe(ex, body, Strict);
        return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            detail: "The program is not valid JSON of the expected shape.", type: "https://shopifyreferral.dev/problems/validation");
    }
}
