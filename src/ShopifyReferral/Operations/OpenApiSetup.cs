using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ShopifyReferral.Operations;

/// <summary>
/// The API's OpenAPI document, generated from the mapped endpoints (Microsoft.AspNetCore.OpenApi): the merchant API
/// (/api, admin session token) and the extensions' API (/extensions, extension session token). Shopify-facing routes
/// (webhooks, OAuth, Flow, the app proxy) are Shopify's contract, not ours to document, so they stay out.
/// docs/openapi.v1.json is the checked-in copy that shows API changes in review (ApiDocumentTests).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string Scheme = "sessionToken";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.ShouldInclude = d => d.RelativePath is { } p && (p.StartsWith("api/", StringComparison.Ordinal) || p.StartsWith("extensions/", StringComparison.Ordinal));
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info = new OpenApiInfo
            {
                Title = "ShopifyReferral",
                Version = "v1",
                Description = "The merchant API (/api, App Bridge session token) and the UI extensions' API (/extensions, checkout or customer-account session token). Errors are ProblemDetails with a stable type.",
            };
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Shopify session token (HS256 with the app's client secret, aud = its client id) in Authorization: Bearer.",
            };
            foreach (var operation in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
                (operation.Security ??= []).Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, doc)] = [] });
            return Task.CompletedTask;
        });
    });

    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // Where the document used to be (hand-written): the generated one now.
        app.MapGet("/api/openapi.json", () => TypedResults.Redirect(DocumentPath)).ExcludeFromDescription();
        return app;
    }
}
