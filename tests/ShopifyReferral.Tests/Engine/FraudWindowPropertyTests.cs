using Dapper;
using FsCheck;
using FsCheck.Fluent;
using ShopifyReferral.Data;
using ShopifyReferral.Referrals;
using ShopifyReferral.Tests.Infrastructure;
using Check = ShopifyReferral.Referrals.Check;

namespace ShopifyReferral.Tests.Engine;

/// <summary>
/// The velocity and yearly-cap rules read index ranges (migration 0043) instead of every referral of the referrer.
/// FsCheck generates referral histories around the edges that matter (the day-long velocity window, the cap's
/// calendar year, counted and uncounted statuses, another referrer from the same IP, the order's own referral,
/// emails differing only in case or missing) and the verdict of each rule must equal a plain in-memory count.
/// </summary>
public class FraudWindowPropertyTests
{
    private const long Day = 86_400_000;
    private static readonly string[] Statuses = ["pending", "review", "approved", "rewarded", "rejected", "voided"];
    private static readonly string[] Counted = ["pending", "review", "approved", "rewarded"];

    /// <param name="Mine">This referrer's (else another referrer's in the same shop).</param>
    /// <param name="CreatedOffset">The past order's created_at minus the judged order's; null: no created_at.</param>
    /// <param name="PaidOffset">The referral's paid_at minus the judged order's; null: never paid.</param>
    public sealed record Past(bool Mine, int Status, long? CreatedOffset, long? PaidOffset, bool SameIp, int Friend, bool Upper, bool FriendEmailStored);

    public sealed record Case(long OrderAt, bool OrderHasIp, int MaxFriends, int? Cap, Past[] History)
    {
        public override string ToString() =>
            $"order at {DateTimeOffset.FromUnixTimeMilliseconds(OrderAt):O}, ip {OrderHasIp}, max friends {MaxFriends}, cap {Cap?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}\n  "
            + string.Join("\n  ", History.Select(p => p.ToString()));
    }

    // Offsets on and beside the window's edge, plus anywhere within a few days or most of a year.
    private static readonly Gen<long> Offset = Gen.Frequency(
        (3, Gen.Elements(-Day, -Day - 1, -Day + 1, 0L, -1L, 1L)),
        (3, Gen.Choose(-3 * 24, 3 * 24).Select(h => h * 3_600_000L)),
        (2, Gen.Choose(-400, 400).Select(d => d * Day)));

    // Around new year, so the cap's year boundary is crossed, and in mid-year.
    private static readonly Gen<long> OrderAt = Gen.Elements(
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() - 1,
        new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(),
        new DateTimeOffset(2026, 6, 15, 9, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds());

    private static Gen<T?> Maybe<T>(Gen<T> gen, int nullWeight) where T : struct =>
        Gen.Frequency((nullWeight, Gen.Constant<T?>(null)), (10 - nullWeight, gen.Select(v => (T?)v)));

    private static readonly Gen<Past> PastGen =
        from mine in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from status in Gen.Choose(0, Statuses.Length - 1)
        from created in Maybe(Offset, 1)
        from paid in Maybe(Offset, 2)
        from sameIp in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from friend in Gen.Choose(0, 4)
        from upper in Gen.Elements(true, false)
        from stored in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Past(mine, status, created, paid, sameIp, friend, upper, stored);

    private static readonly Gen<Case> CaseGen =
        from at in OrderAt
        from ip in Gen.Frequency((6, Gen.Constant(true)), (1, Gen.Constant(false)))
        from max in Gen.Choose(1, 4)
        from cap in Maybe(Gen.Choose(1, 6), 1)
        from n in Gen.Choose(0, 14)
        from history in Gen.ArrayOf(PastGen, n)
        select new Case(at, ip, max, cap, history);

    private TestDatabase _database = null!;
    private Db _db = null!;
    private int _shops;

    [OneTimeSetUp]
    public async Task Migrate()
    {
        _database = TestDatabase.Create();
        _db = _database.Db();
        await _database.Migrator().MigrateAsync();
    }

    [OneTimeTearDown]
    public void Drop() => _database.Dispose();

    [Test]
    public void VelocityAndCap_AgreeWithCountingInMemory() =>
        Prop.ForAll(Arb.From(CaseGen), c => Agrees(c))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150).WithQuietOnSuccess(true));

    private bool Agrees(Case c)
    {
        var (velocity, cap) = JudgeAsync(c).GetAwaiter().GetResult();
        var (expectedVelocity, expectedCap) = Model(c);
        Assert.That(velocity.Outcome, Is.EqualTo(expectedVelocity.Outcome), $"velocity ({velocity.Evidence})\n{c}");
        Assert.That(velocity.Evidence, Does.StartWith(expectedVelocity.Evidence), $"velocity\n{c}");
        Assert.That(cap.Outcome, Is.EqualTo(expectedCap.Outcome), $"cap ({cap.Evidence})\n{c}");
        Assert.That(cap.Evidence, Does.Contain(expectedCap.Evidence), $"cap\n{c}");
        return true;
    }

    private static string Email(Past p) => p.Upper ? $"Friend{p.Friend}@Example.com" : $"friend{p.Friend}@example.com";

    /// <summary>The rules as written down: a count over the whole history, nothing indexed.</summary>
    private static (Check Velocity, Check Cap) Model(Case c)
    {
        var velocity = Check.Pass("velocity", "No IP address on the order.");
        if (c.OrderHasIp)
        {
            var friends = c.History.Where(p => p.Mine && p.SameIp && p.CreatedOffset is { } o && o >= -Day)
                .Select(p => Email(p).ToLowerInvariant()).Distinct().Count();
            // The rule reads at most limit + 1 earlier friends (the verdict cannot change past that), so beyond the
            // limit the evidence says "at least".
            velocity = friends > c.MaxFriends ? new("velocity", "review", $"At least {c.MaxFriends + 2} friends")
                : friends + 1 > c.MaxFriends ? new("velocity", "review", $"{friends + 1} friends")
                : Check.Pass("velocity", $"{friends + 1} friend(s)");
        }
        var check = Check.Pass("cap", "The program has no yearly cap.");
        if (c.Cap is { } cap)
        {
            var year = DateTimeOffset.FromUnixTimeMilliseconds(c.OrderAt).Year;
            var counted = c.History.Count(p => p.Mine && Counted.Contains(Statuses[p.Status])
                && p.PaidOffset is { } o && DateTimeOffset.FromUnixTimeMilliseconds(c.OrderAt + o).Year == year);
            check = counted >= cap ? new("cap", "reject", $"already has {counted} ") : Check.Pass("cap", $"{counted} of {cap} ");
        }
        return (velocity, check);
    }

    private async Task<(Check Velocity, Check Cap)> JudgeAsync(Case c)
    {
        var shop = $"prop{Interlocked.Increment(ref _shops)}.myshopify.com";
        await using var conn = await _db.OpenAsync();
        var mine = await EnrolAsync(conn, shop, 1, "MINE");
        var other = await EnrolAsync(conn, shop, 2, "OTHER");
        const string ip = "198.51.100.7";
        for (var i = 0; i < c.History.Length; i++)
        {
            var p = c.History[i];
            await AddAsync(conn, shop, 1000 + i, p.Mine ? mine : other, Email(p), p.FriendEmailStored, p.SameIp ? ip : "192.0.2.1",
                p.CreatedOffset is { } co ? c.OrderAt + co : null, Statuses[p.Status], p.PaidOffset is { } po ? c.OrderAt + po : null);
        }
        // The judged order's own referral: pending and paid in the window and the year, so only "not itself" keeps it out.
        var referralId = await AddAsync(conn, shop, 1, mine, "judged@example.com", true, c.OrderHasIp ? ip : null, c.OrderAt, "pending", c.OrderAt);
        var order = (await OrderFacts.LoadAsync(_db, shop, 1, default))!;
        var referrer = (await ReferralStore.FindReferrerAsync(_db, mine, default))!;
        var program = new ProgramSettings
        {
            NewCustomersOnly = false, YearlyCapPerReferrer = c.Cap, Fraud = new FraudThresholds(MaxFriendsPerIpPerDay: c.MaxFriends),
        };
        var checks = await new FraudRules(_db, null!).EvaluateAsync(order, referrer, program, referralId, default);
        return (checks.Single(x => x.Rule == "velocity"), checks.Single(x => x.Rule == "cap"));
    }

    private static async Task<long> EnrolAsync(System.Data.Common.DbConnection conn, string shop, long customer, string code)
    {
        await conn.ExecuteAsync("""
            INSERT INTO referrers (shop, customer_id, email, code, code_status, program_version, enrolled_at)
            VALUES (@shop, @customer, @email, @code, 'live', 1, 0)
            """, new { shop, customer, email = $"referrer{customer}@example.com", code });
        return await conn.ExecuteScalarAsync<long>("SELECT id FROM referrers WHERE shop = @shop AND code = @code", new { shop, code });
    }

    private static async Task<long> AddAsync(System.Data.Common.DbConnection conn, string shop, long orderId, long referrerId,
        string email, bool storeFriendEmail, string? ip, long? createdAt, string status, long? paidAt)
    {
        await conn.ExecuteAsync("""
            INSERT INTO orders (shop, order_id, name, email, email_key, financial_status, currency, order_updated_at, created_at,
                                browser_ip, last_topic, recorded_at)
            VALUES (@shop, @orderId, @name, @email, @key, 'paid', 'USD', @updated, @createdAt, @ip, 'orders/paid', 0)
            """, new { shop, orderId, name = $"#{orderId}", email, key = email.ToLowerInvariant(), updated = createdAt ?? 0, createdAt, ip });
        await conn.ExecuteAsync("""
            INSERT INTO referrals (shop, order_id, order_name, referrer_id, code, friend_email, program_version, status, currency,
                                   order_subtotal_minor, order_updated_at, paid_at, created_at, updated_at)
            VALUES (@shop, @orderId, @name, @referrerId, 'X', @friendEmail, 1, @status, 'USD', 9000, 0, @paidAt, 0, 0)
            """, new { shop, orderId, name = $"#{orderId}", referrerId, friendEmail = storeFriendEmail ? email : null, status, paidAt });
        return await conn.ExecuteScalarAsync<long>("SELECT id FROM referrals WHERE shop = @shop AND order_id = @orderId", new { shop, orderId });
    }
}
