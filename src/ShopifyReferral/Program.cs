using Microsoft.Extensions.Options;
using ShopifyReferral;
using ShopifyReferral.Data;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddApplicationServices(builder.Configuration);

var app = builder.Build();
try
{
    app.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (OptionsValidationException ex)
{
    // A bad setting stops the app with the key to fix, not a stack trace.
    Console.Error.WriteLine("Configuration error:\n  " + string.Join("\n  ", ex.Failures));
    Environment.ExitCode = 2;
    return;
}
await app.MigrateDatabaseAsync();
app.MapApplicationEndpoints();
await app.RunAsync();

public partial class Program;
