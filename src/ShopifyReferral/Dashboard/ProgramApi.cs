using System.Text.Json;
using ShopifyReferral.Merchant;
using ShopifyReferral.Referrals;

namespace ShopifyReferral.Dashboard;

/// <summary>
/// The program settings form: read the active version, save a new one. Enums are snake_case as stored
/// (ProgramStore.Json); every invalid field comes back at once in a validation problem.
/// </summary>
public static class ProgramApi
{
    public static RouteGroupBuilder MapProgramApi(this RouteGroupBuilder api)
    {
        api.MapGet("/program/settings", async (HttpContext http, ProgramStore programs) =>
            Show(await programs.GetActiveAsync(http.ShopSession().Shop, http.RequestAborted)));
        api.MapPut("/program/settings", Save);
        return api;
    }

    private static async Task<IResult> Save(HttpContext http, ProgramStore programs)
    {
        ProgramSettings? settings;
        try
        {
            settings = await JsonSerializer.DeserializeAsync<ProgramSettings>(http.Request.Body, ProgramStore.Json, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not a program: {ex.Message}");
        }
        if (settings is null) return Problems.BadRequest("The body is empty: send the program settings as JSON.");
        var (saved, errors) = await programs.SaveAsync(http.ShopSession().Shop, settings, http.RequestAborted);
        return saved is null ? Problems.Invalid(errors) : Show(saved);
    }

    private static IResult Show(ProgramVersion p) =>
        TypedResults.Json(new { version = p.Version, createdAt = p.CreatedAt, settings = p.Settings }, ProgramStore.Json);
}
