using Microsoft.Extensions.Options;
using ShopifyReferral;
using ShopifyReferral.Data;
using ShopifyReferral.SandboxMode;

var builder = WebApplication.CreateBuilder(args);
AppMode mode;
try
{
    mode = await builder.UseSandboxWhenUnconfiguredAsync();
}
catch (MissingCredentialsException ex)
{
    Console.Error.WriteLine("Configuration error:\n  " + ex.Message);
    Environment.ExitCode = 2;
    return;
}
catch (SandboxStartException ex)
{
    Console.Error.WriteLine("Start-up error: " + ex.Message);
    Environment.ExitCode = 2;
    return;
}
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
catch (InvalidOperationException ex) when (ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // A value of the wrong type (an unknown enum name, "ten" for a number): the binder's message names the key.
    Console.Error.WriteLine("Configuration error:\n  " + ex.Message);
    Environment.ExitCode = 2;
    return;
}
app.Logger.LogInformation("{Mode}", mode.Describe());
await app.MigrateDatabaseAsync();
app.MapApplicationEndpoints();
await app.RunAsync();

public partial class Program;
