using Microsoft.Extensions.Options;

namespace ShopifyReferral.Data;

public static class DataSetup
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(config.GetSection("Database"))
            .Configure(o => o.ConnectionString = config.GetConnectionString("Referral") ?? "")
            .PostConfigure(o =>
            {
                if (o.Provider == DatabaseProvider.Sqlite && string.IsNullOrWhiteSpace(o.ConnectionString))
                    o.ConnectionString = DatabaseOptions.DefaultSqlite;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<Db>();
        services.AddSingleton<Migrator>();
        return services;
    }

    /// <summary>Applies pending migrations before the server takes its first request.</summary>
    public static Task MigrateDatabaseAsync(this WebApplication app) =>
        app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions o)
    {
        if (!Enum.IsDefined(o.Provider))
            return ValidateOptionsResult.Fail("Database:Provider must be Sqlite, SqlServer or PostgreSql.");
        if (string.IsNullOrWhiteSpace(o.ConnectionString))
            return ValidateOptionsResult.Fail($"ConnectionStrings:Referral must be set when Database:Provider is {o.Provider}.");
        if (o.Provider == DatabaseProvider.Sqlite && o.Synchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            return ValidateOptionsResult.Fail("Database:Synchronous must be FULL, NORMAL or EXTRA.");
        if (o.Provider == DatabaseProvider.Sqlite && o.WorkSynchronous is not ("FULL" or "NORMAL" or "EXTRA"))
            return ValidateOptionsResult.Fail("Database:WorkSynchronous must be FULL, NORMAL or EXTRA.");
        return ValidateOptionsResult.Success;
    }
}
