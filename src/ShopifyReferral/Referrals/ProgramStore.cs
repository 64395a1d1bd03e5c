using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

public sealed record ProgramVersion(string Shop, int Version, ProgramSettings Settings, DateTimeOffset CreatedAt);

/// <summary>The shop's program, versioned: the active one is the highest version.</summary>
public sealed class ProgramStore(Db db, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>An enum as stored and shown: snake_case, e.g. fixed_amount.</summary>
    public static string EnumName<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value, Json).Trim('"');

    /// <summary>The active program; a shop that never saved one gets version 1 of the defaults, stored.</summary>
    public async Task<ProgramVersion> GetActiveAsync(string shop, CancellationToken ct = default)
    {
        var found = await FindAsync(shop, version: null, ct);
        if (found is not null) return found;
        await InsertAsync(shop, 1, new ProgramSettings(), ct);
        return (await FindAsync(shop, null, ct))!;
    }

    public async Task<ProgramVersion?> FindAsync(string shop, int? version, CancellationToken ct = default)
    {
        await using var conn = await db.OpenAsync(ct);
        var row = await conn.QueryFirstOrDefaultAsync<(int Version, string Settings, long CreatedAt)>(
            version is null
                ? "SELECT version, settings, created_at FROM programs WHERE shop = @shop AND version = (SELECT MAX(version) FROM programs WHERE shop = @shop)"
                : "SELECT version, settings, created_at FROM programs WHERE shop = @shop AND version = @version",
            new { shop, version });
        if (row.Settings is null) return null;
        return new ProgramVersion(shop, row.Version, JsonSerializer.Deserialize<ProgramSettings>(row.Settings, Json)!,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));
    }

    /// <summary>Saves a new version. Validation errors come back keyed by field; nothing is stored then.</summary>
    public async Task<(ProgramVersion? Saved, IReadOnlyDictionary<string, string[]> Errors)> SaveAsync(
        string shop, ProgramSettings settings, CancellationToken ct = default)
    {
        var errors = settings.Validate();
        if (errors.Count > 0) return (null, errors);
        var current = await GetActiveAsync(shop, ct);
        // Two saves at once both aim at current + 1; the primary key lets one win and the other retry.
        for (var version = current.Version + 1; ; version++)
            if (await InsertAsync(shop, version, settings, ct))
                return ((await FindAsync(shop, version, ct))!, errors);
    }

    private async Task<bool> InsertAsync(string shop, int version, ProgramSettings settings, CancellationToken ct)
    {
        await using var conn = await db.OpenAsync(ct);
        return await conn.ExecuteAsync("""
            INSERT INTO programs (shop, version, settings, created_at)
            SELECT @shop, @version, @settings, @now
            WHERE NOT EXISTS (SELECT 1 FROM programs WHERE shop = @shop AND version = @version)
            """, new { shop, version, settings = JsonSerializer.Serialize(settings, Json), now = time.GetUtcNow().ToUnixTimeMilliseconds() }) == 1;
    }
}
