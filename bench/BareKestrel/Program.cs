// Bare Kestrel baseline: the ceiling the real intake endpoint is compared with.
// POST /webhooks drains the request body and answers 200; nothing is verified or stored.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapPost("/webhooks", async (HttpRequest request) =>
{
    var buffer = new byte[8192];
    long total = 0;
    int read;
    while ((read = await request.Body.ReadAsync(buffer)) > 0)
    {
        total += read;
    }
    return Results.Ok();
});
app.MapGet("/health", () => Results.Ok());

app.Run();
