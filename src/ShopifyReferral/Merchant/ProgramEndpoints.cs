using System.Text.Json;
using System.Text.Json.Serialization;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Merchant;

// Written with the engine's serializer options (not the API's), so the time format is set here.
public sealed record ProgramResponse(int Version, [property: JsonConverter(typeof(UtcJson))] DateTimeOffset CreatedAt, ProgramSettings Settings);

/// <summary>
/// GET/PUT /api/program: the shop's active program. JSON as the engine stores it (camelCase, enums in snake_case,
/// e.g. "fixed_amount"). A PUT writes a new version; referrals already judged keep the version they were judged under.
/// </summary>
public static class ProgramEndpoints
{
    public static RouteGroupBuilder MapProgramEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/program", Get);
        api.MapPut("/program", Put);
        return api;
    }

    private static async Task<IResult> Get(HttpContext http, ProgramStore programs)
    {
        var p = await programs.GetActiveAsync(http.ShopSession().Shop, http.RequestAborted);
        return TypedResults.Json(new ProgramResponse(p.Version, p.CreatedAt, p.Settings), ProgramStore.Json);
    }

    private static async Task<IResult> Put(HttpContext http, ProgramStore programs)
    {
        ProgramSettings? settings;
        try
        {
            // Read by hand rather than bound: the engine's serializer options (snake_case enums) are the contract.
            settings = await JsonSerializer.DeserializeAsync<ProgramSettings>(http.Request.Body, ProgramStore.Json, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = ["Not a valid value here."] },
                detail: "The program is not valid JSON of the expected shape.", type: "https://shopifyreferral.dev/problems/validation");
        }
        if (settings is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A program object is required."] },
                type: "https://shopifyreferral.dev/problems/validation");

        var (saved, errors) = await programs.SaveAsync(http.ShopSession().Shop, settings, http.RequestAborted);
        if (saved is null)
            return TypedResults.ValidationProblem(errors, detail: "The program was not saved.", type: "https://shopifyreferral.dev/problems/validation");
        return TypedResults.Json(new ProgramResponse(saved.Version, saved.CreatedAt, saved.Settings), ProgramStore.Json);
    }
}
