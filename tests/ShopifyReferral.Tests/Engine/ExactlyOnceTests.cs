using Dapper;
using ShopifyReferral.Referrals;
using ShopifyReferral.Rewards;
using ShopifyReferral.Sandbox;
using ShopifyReferral.Shopify;

namespace ShopifyReferral.Tests.Engine;

/// <summary>Crashes, faults, duplicates and concurrency all end with exactly one reward per referral in the sandbox.</summary>
public class ExactlyOnceTests
{
    private EngineHarness _h = null!;

    [SetUp]
    public async Task Start()
    {
        _h = await EngineHarness.StartAsync();
        await _h.EnrolJaneAsync();
    }

    [TearDown]
    public async Task Stop() { if (_h is not null) await _h.DisposeAsync(); }

    private async Task<IReadOnlyList<long>> ApprovedReferralsAsync(int friends)
    {
        for (var i = 0; i < friends; i++)
        {
            var deliveries = await _h.Store.PlaceOrderAsync(EngineHarness.Shop, new SandboxOrder
            {
                CustomerId = 5000 + i, Email = $"friend{i}@example.com", DiscountCode = "SAMREF-7Q2K", BrowserIp = $"198.51.100.{i + 1}",
            }, _h.WebhookUrl);
            Assert.That(deliveries.All(d => d.Succeeded));
        }
        await _h.ProcessAsync();
        _h.Time.Advance(TimeSpan.FromDays(15));
        Assert.That(await _h.Get<HoldSweeper>().RunOnceAsync(default), Is.EqualTo(friends));
        using var db = _h.App.OpenDb();
        return db.Query<long>("SELECT id FROM referrals WHERE status = 'approved'").ToList();
    }

    private void AssertOneRewardPerReferral(int referrals)
    {
        var codes = _h.RewardDiscounts().SelectMany(d => d.Codes).ToList();
        Assert.That(codes, Has.Count.EqualTo(referrals), "one discount per referral in the sandbox");
        Assert.That(codes.Distinct().Count(), Is.EqualTo(referrals));
        using var db = _h.App.OpenDb();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM rewards WHERE status = 'issued'"), Is.EqualTo(referrals));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM referrals WHERE status = 'rewarded'"), Is.EqualTo(referrals));
    }

    private async Task DrainAsync(int issuers = 1)
    {
        for (var round = 0; round < 30; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, issuers).Select(_ => Task.Run(() => _h.Get<RewardIssuer>().RunOnceAsync(default))));
            using var db = _h.App.OpenDb();
            if (db.ExecuteScalar<long>("SELECT COUNT(*) FROM rewards WHERE status = 'owed'") == 0) return;
            _h.Time.Advance(TimeSpan.FromMinutes(10)); // past any backoff or lease
        }
    }

    [Test]
    public async Task CrashAfterShopifyCreatedTheCode_RetryFindsItInsteadOfCreatingASecond()
    {
        await ApprovedReferralsAsync(1);
        var issuer = _h.Get<RewardIssuer>();
        issuer.AfterShopifyCall = _ => throw new IOException("process died before recording");
        Assert.That(await issuer.RunOnceAsync(default), Is.EqualTo(0));
        Assert.That(_h.RewardDiscounts(), Has.Count.EqualTo(1), "Shopify has it; we did not record it");

        issuer.AfterShopifyCall = null;
        await DrainAsync();
        AssertOneRewardPerReferral(1);
    }

    [Test]
    public async Task IssuerDiesHoldingTheLease_AnotherTakesOverAfterItAndFindsTheCode()
    {
        await ApprovedReferralsAsync(1);
        await _h.Get<RewardLedger>().OweApprovedAsync(default);
        using (var db = _h.App.OpenDb())
        {
            // The dead issuer claimed the row and got as far as creating the code in Shopify.
            var now = _h.Time.GetUtcNow().ToUnixTimeMilliseconds();
            db.Execute("UPDATE rewards SET lease_owner = 'dead', attempts = 1, due_at = @until", new { until = now + (long)RewardIssuer.Lease.TotalMilliseconds });
            var code = db.ExecuteScalar<string>("SELECT code FROM rewards")!;
            await _h.Get<IShopifyAdmin>().CreateCodeDiscountAsync(EngineHarness.Shop, new CodeDiscountSpec
            {
                Title = "Referral reward " + code, Code = code, StartsAt = _h.Time.GetUtcNow(), Kind = DiscountKind.FixedAmount, Value = 10m, UsageLimit = 1,
            }, default);
        }
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(0), "the lease still holds");
        _h.Time.Advance(RewardIssuer.Lease + TimeSpan.FromSeconds(1));
        Assert.That(await _h.Get<RewardIssuer>().RunOnceAsync(default), Is.EqualTo(1));
        AssertOneRewardPerReferral(1);
    }

    [Test]
    public async Task TwentyPercentFaultsAndTwoIssuersAtOnce_ExactlyOnePerReferral()
    {
        await ApprovedReferralsAsync(12);
        _h.Store.Faults(EngineHarness.Shop).Randomly(failRate: 0.2, dropRate: 0.2, seed: 7);
        await DrainAsync(issuers: 2);
        _h.Store.Faults(EngineHarness.Shop).Clear();
        AssertOneRewardPerReferral(12);
        Assert.That(_h.Store.Shop(EngineHarness.Shop).Requests.Count(r => r.Status >= 500), Is.GreaterThan(0), "faults really happened");
    }

    [Test]
    public async Task DuplicatesAndReplaysAfterTheReward_NeverASecond()
    {
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.PassHoldAndIssueAsync();
        await _h.DeliverAsync("orders/paid/with-code.json");
        await _h.DeliverAsync("orders/updated/with-code.json");
        using (var db = _h.App.OpenDb())
            db.Execute("UPDATE referrals SET status = 'approved'"); // as if a bug or a restore re-approved it
        await _h.PassHoldAndIssueAsync();
        AssertOneRewardPerReferral(1);
    }

    [Test]
    public async Task Milestone_AtTheThirdSuccessfulReferral_OneExtraReward()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            Milestones = [new Milestone(3, new ReferrerReward(RewardType.FixedAmount, 25m))],
        });
        await ApprovedReferralsAsync(4);
        await DrainAsync();
        using var db = _h.App.OpenDb();
        var kinds = db.Query<(string Kind, long Amount)>("SELECT kind, amount_minor FROM rewards ORDER BY id").ToList();
        Assert.That(kinds.Count(k => k.Kind == "referral"), Is.EqualTo(4));
        Assert.That(kinds.Where(k => k.Kind == "milestone").Select(k => k.Amount), Is.EqualTo(new[] { 2500L }), "25.00 in cents");
        Assert.That(_h.RewardDiscounts().Count(d => d.Amount == 25m), Is.EqualTo(1));
    }

    [Test]
    public async Task OwingTheMilestoneFails_AfterTheReferralRewardWasOwed_TheMilestoneIsStillOwedLater()
    {
        await _h.Get<ProgramStore>().SaveAsync(EngineHarness.Shop, new ProgramSettings
        {
            Milestones = [new Milestone(2, new ReferrerReward(RewardType.FixedAmount, 25m))],
        });
        await ApprovedReferralsAsync(2);
        var sqlite = _h.App.Database.Provider == ShopifyReferral.Data.DatabaseProvider.Sqlite;
        using (var db = _h.App.OpenDb()) // the database refuses the milestone's row (a full disk, say) for a while
            db.Execute(sqlite
                ? "CREATE TRIGGER refuse_milestone BEFORE INSERT ON rewards WHEN NEW.kind = 'milestone' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
                : """
                  CREATE FUNCTION refuse_milestone() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN IF NEW.kind = 'milestone' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
                  CREATE TRIGGER refuse_milestone BEFORE INSERT ON rewards FOR EACH ROW EXECUTE FUNCTION refuse_milestone();
                  """);
        try
        {
            await _h.Get<RewardIssuer>().RunOnceAsync(default);
        }
        catch (System.Data.Common.DbException ex) when (ex.Message.Contains("disk full"))
        {
            // the failure may surface; what matters is what is owed afterwards
        }
        using (var db = _h.App.OpenDb())
            db.Execute(sqlite ? "DROP TRIGGER refuse_milestone" : "DROP TRIGGER refuse_milestone ON rewards; DROP FUNCTION refuse_milestone()");

        await DrainAsync();

        using var check = _h.App.OpenDb();
        var rewards = check.Query<(string Kind, string Status)>("SELECT kind, status FROM rewards ORDER BY id").ToList();
        Assert.That(rewards.Count(r => r.Kind == "referral"), Is.EqualTo(2));
        Assert.That(rewards.Where(r => r.Kind == "milestone").Select(r => r.Status).ToList(), Is.EqualTo(new[] { "issued" }), "the milestone was not lost");
        Assert.That(_h.RewardDiscounts().Count(d => d.Amount == 25m), Is.EqualTo(1));
    }
}
