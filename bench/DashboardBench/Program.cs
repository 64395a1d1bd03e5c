using ShopifyReferral.Referrals;
using System.Globalization;
// Dashboard benchmark: seeds a year of a busy shop into a fresh SQLite file through the app's own migrations, then
// prints how long the KPI report and a full CSV export take. Figures only; nothing here asserts a speed.
//   dotnet run -c Release --project bench/DashboardBench -- [orders=200000]   (100000 and 1000000 in bench/README.md)
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ShopifyReferral.Analytics;
using ShopifyReferral.Dashboard;
using ShopifyReferral.Merchant;
using ShopifyReferral.Data;

var orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
const string Shop = "bench.myshopify.com";
// BENCH_FILE reuses a file an earlier run kept (BENCH_KEEP=1), migrating it to this build and timing it again.
var reuse = Environment.GetEnvironmentVariable("BENCH_FILE");
var file = reuse ?? Path.Combine(Path.GetTempPath(), $"dashboard-bench-{Guid.NewGuid():N}.db");
var db = new Db(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={file}", Synchronous = "NORMAL" }));
await new Migrator(db, TimeProvider.System, NullLogger<Migrator>.Instance).MigrateAsync();
var start = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
var random = new Random(42);
string[] channels = ["instagram", "whatsapp", "email", "link"];

var seed = Stopwatch.StartNew();
if (reuse is null)
    await using (var conn = await db.OpenAsync())
    {
        await using var tx = await conn.BeginTransactionAsync();
        var referrers = orders / 100;
        for (var r = 1; r <= referrers; r++)
            await conn.ExecuteAsync("""
            INSERT INTO referrers (shop, customer_id, email, first_name, code, code_status, program_version, enrolled_at)
            VALUES (@Shop, @r, @email, 'Ann', @code, 'live', 1, @at)
            """, new { Shop, r, email = $"r{r}@example.com", code = $"REF-{r:D6}", at = start.AddDays(random.Next(365)).ToUnixTimeMilliseconds() }, tx);
        // One prepared command per table, its parameters reset per row: Dapper's per-call binding would make the 1M size
        // take a quarter of an hour on a loaded machine.
        var insertOrder = Prepared(conn, tx, """
        INSERT INTO orders (shop, order_id, customer_id, cancelled, test, currency, subtotal_minor, order_updated_at, created_at, last_topic, recorded_at)
        VALUES (@shop, @i, @customer, 0, 0, 'USD', @subtotal, @at, @at, 'orders/paid', @at)
        """, "shop", "i", "customer", "subtotal", "at");
        var insertReferral = Prepared(conn, tx, """
        INSERT INTO referrals (shop, order_id, referrer_id, code, program_version, status, order_updated_at, created_at, updated_at)
        VALUES (@shop, @i, @referrer, 'X', 1, 'rewarded', @at, @at, @at)
        """, "shop", "i", "referrer", "at");
        var insertClick = Prepared(conn, tx, """
        INSERT INTO share_clicks (shop, referrer_id, code, channel, clicked_at) VALUES (@shop, @referrer, 'X', @channel, @at)
        """, "shop", "referrer", "channel", "at");
        var insertReward = Prepared(conn, tx, """
        INSERT INTO rewards (shop, idempotency_key, referrer_id, kind, reward_type, amount_minor, status, created_at, issued_at)
        VALUES (@shop, @key, 1, 'referral', 'fixed_amount', 1000, 'issued', @at, @at)
        """, "shop", "key", "at");
        for (var i = 1; i <= orders; i++)
        {
            var at = start.AddMinutes(random.Next(365 * 24 * 60)).ToUnixTimeMilliseconds();
            await Run(insertOrder, Shop, i, random.Next(1, orders / 3), (20 + random.Next(200)) * 100L + random.Next(100), at);
            if (i % 10 == 0) await Run(insertReferral, Shop, i, random.Next(1, referrers + 1), at);
            if (i % 4 == 0) await Run(insertClick, Shop, random.Next(1, referrers + 1), channels[random.Next(4)], at);
            if (i % 20 == 0) await Run(insertReward, Shop, $"{i}:referral", at);
        }
        await tx.CommitAsync();
        // The rows went in by hand, as an import would: the analytics rebuild sets their facts and rollups (the CLI verb's code).
        await OrderAnalyticsFacts.RebuildAsync(conn);
    }
if (reuse is null)
    Console.WriteLine($"seeded {orders:N0} orders, {orders / 10:N0} referrals, {orders / 4:N0} clicks, {orders / 20:N0} rewards in {seed.Elapsed.TotalSeconds:F1} s ({new FileInfo(file).Length / 1e6:F0} MB)");

var store = new AnalyticsStore(db);
foreach (var (label, from, to, interval) in new[]
{
    // The dashboard's default: the last 30 days up to today (no customer has ordered after the range's end).
    ("last 30 days by day", start.AddDays(335), start.AddDays(365), Interval.Day),
    // A past month: customers who ordered both before and after it make the customer figures look up their orders.
    ("30 days by day", start.AddDays(300), start.AddDays(330), Interval.Day),
    ("365 days by week", start, start.AddDays(365), Interval.Week),
    ("365 days by day", start, start.AddDays(365), Interval.Day),
})
{
    await store.ReportAsync(Shop, from, to, interval); // warm-up
    var times = new List<double>();
    for (var run = 0; run < 5; run++)
    {
        var sw = Stopwatch.StartNew();
        await store.ReportAsync(Shop, from, to, interval);
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"GET /api/analytics {label,-19}: median {times[2],7:F1} ms  (min {times[0]:F1}, max {times[4]:F1}) over 5 runs, load average {LoadAverage()}");
}

var csvWatch = Stopwatch.StartNew();
var rows = 0;
var counting = new CountingStream();
await using (var conn = await db.OpenAsync())
await using (var csv = new Csv(counting))
{
    await foreach (var r in conn.QueryUnbufferedAsync<ReferralRow>(
        "SELECT x.id, x.order_id, x.referrer_id, x.code, x.status, x.created_at FROM referrals x WHERE x.shop = @Shop ORDER BY x.id", new { Shop }))
    {
        await csv.RowAsync(r.Id, r.OrderId, r.ReferrerId, r.Code, r.Status, Csv.Time(r.CreatedAt));
        rows++;
    }
}
Console.WriteLine($"CSV export: {rows:N0} rows, {counting.Length / 1e6:F1} MB in {csvWatch.Elapsed.TotalMilliseconds:F0} ms ({rows / csvWatch.Elapsed.TotalSeconds:N0} rows/s), peak working set {Environment.WorkingSet / 1e6:F0} MB");
if (Environment.GetEnvironmentVariable("BENCH_KEEP") is null && reuse is null) File.Delete(file); else Console.WriteLine($"kept {file}");

static System.Data.Common.DbCommand Prepared(System.Data.Common.DbConnection conn, System.Data.Common.DbTransaction tx, string sql, params string[] names)
{
    var command = conn.CreateCommand();
    command.CommandText = sql;
    command.Transaction = tx;
    foreach (var name in names)
    {
        var p = command.CreateParameter();
        p.ParameterName = "@" + name;
        command.Parameters.Add(p);
    }
    command.Prepare();
    return command;
}

static Task<int> Run(System.Data.Common.DbCommand command, params object[] values)
{
    for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
    return command.ExecuteNonQueryAsync();
}

// The machine may be shared: the figures are read beside the load average (1, 5, 15 min) at the time.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

/// <summary>Counts bytes written and keeps none, so the export's own cost is measured, not a disk's.</summary>
internal sealed class CountingStream : Stream
{
    public override long Length => _length;
    private long _length;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => _length += count;
}
