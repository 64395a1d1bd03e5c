using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using ShopifyReferral.Data;

namespace ShopifyReferral.Referrals;

public sealed record ProgramVersion(string Shop, int Version, ProgramSettings Settings, DateTimeOffset CreatedAt);

/// <summary>
/// The shop's program, versioned: the active one is the highest version. Every order reads it, so versions are
/// kept in memory: a saved version never changes, and the active one is found by its number and save time, a
/// one-row read of the primary key, so a save on any instance takes effect on the next order everywhere.
/// </summary>
public sealed class ProgramStore(Db db, TimeProvider time)
{
    /// <summary>
    /// How long a version read by number is trusted without a look at the database. Only a shop's redaction deletes
    /// versions (a reinstall then starts at 1 again); the instance that ran it forgets at once, any other on its next
    /// read of the active version (which every new referral makes first), or within this.
    /// </summary>
    public static readonly TimeSpan TrustFor = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string Shop, int Version), (ProgramVersion Program, long ReadAt)> _versions = new();

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

    /// <param name="version">Null: the active version.</param>
    public async Task<ProgramVersion?> FindAsync(string shop, int? version, CancellationToken ct = default)
    {
        if (version is { } v && _versions.TryGetValue((shop, v), out var kept) && Environment.TickCount64 - kept.ReadAt < TrustFor.TotalMilliseconds)
            return kept.Program;
        await using var conn = await db.OpenAsync(ct);
        if (version is null)
        {
            // Once per batch of orders (a unit of work): a program saved meanwhile could as well have come after its
            // commit. A shop without one is not remembered: the defaults are stored next.
            var head = await UnitOfWork.ReadOnceAsync("program_head", shop, () => conn.QueryFirstOrDefaultAsync<(int Version, long CreatedAt)>(
                db.FirstRows("SELECT version, created_at FROM programs WHERE shop = @shop ORDER BY version DESC"), new { shop, limit = 1 }),
                keep: h => h.Version != 0);
            if (head.Version == 0) return null;
            // The save time tells a version apart from one of the same number before a redaction; on a mismatch the
            // shop was redacted and reinstalled, and every version kept for it is of the old one.
            if (_versions.TryGetValue((shop, head.Version), out kept))
            {
                if (kept.Program.CreatedAt.ToUnixTimeMilliseconds() == head.CreatedAt) return kept.Program;
                Forget(shop);
            }
            version = head.Version;
        }
        return await LoadAsync(conn, shop, version.Value);
    }

    /// <summary>After shop/redact: the shop's versions are gone, and a reinstall numbers its own from 1.</summary>
    public void Forget(string shop)
    {
        foreach (var key in _versions.Keys.Where(k => k.Shop == shop)) _versions.TryRemove(key, out _);
    }

    private async Task<ProgramVersion?> LoadAsync(DbConnection conn, string shop, int version)
    {
        var row = await conn.QueryFirstOrDefaultAsync<(int Version, string Settings, long CreatedAt)>(
            "SELECT version, settings, created_at FROM programs WHERE shop = @shop AND version = @version", new { shop, version });
        if (row.Settings is null) return null;
        var program = new ProgramVersion(shop, row.Version, JsonSerializer.Deserialize<ProgramSettings>(row.Settings, Json)!,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt));
        _versions[(shop, version)] = (program, Environment.TickCount64);
        return program;
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
