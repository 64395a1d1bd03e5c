using ShopifyReferral.Referrals;

namespace ShopifyReferral.Tests.Engine;

/// <summary>Program validation names the field and says what is wrong; a saved change is a new version.</summary>
public class ProgramSettingsTests
{
    [Test]
    public void Defaults_AreValid_WithTheUsualHoldAndNewCustomersOnly()
    {
        var p = new ProgramSettings();
        Assert.That(p.Validate(), Is.Empty);
        Assert.That((p.HoldDays, p.NewCustomersOnly, p.FriendOffer.CombinesWithOrderDiscounts), Is.EqualTo((14, true, false)));
    }

    [Test]
    public void AProgramSavedBeforeEnabledExisted_ReadsAsOn_AndNotPayingOnly()
    {
        // Versions stored by earlier releases have neither key: they must not wake up paused.
        var old = System.Text.Json.JsonSerializer.Deserialize<ProgramSettings>("""{"holdDays":7,"newCustomersOnly":true}""", ProgramStore.Json)!;
        Assert.That((old.Enabled, old.PayingCustomersOnly, old.HoldDays), Is.EqualTo((true, false, 7)));
        var paused = System.Text.Json.JsonSerializer.Deserialize<ProgramSettings>("""{"enabled":false}""", ProgramStore.Json)!;
        Assert.That(paused.Enabled, Is.False);
    }

    [Test]
    public void Validate_EveryBadFieldNamedWithItsMessage()
    {
        var errors = new ProgramSettings
        {
            FriendOffer = new(OfferType.Percentage, Value: 150m, MinimumSubtotal: -1m),
            Reward = new(RewardType.FixedAmount, Value: 0m, ExpiresInDays: 0),
            HoldDays = -1,
            YearlyCapPerReferrer = 0,
            MinimumOrderSubtotal = -5m,
            Fraud = new(MaxFriendsPerIpPerDay: 0),
            Milestones = [new(1, new()), new(1, new())],
        }.Validate();
        Assert.That(errors, Does.ContainKey("friendOffer.value").WithValue(new[] { "A percentage cannot be above 100." }));
        Assert.That(errors, Does.ContainKey("friendOffer.minimumSubtotal").WithValue(new[] { "Must be more than 0, or left empty." }));
        Assert.That(errors, Does.ContainKey("reward.value").WithValue(new[] { "Must be more than 0." }));
        Assert.That(errors, Does.ContainKey("reward.expiresInDays").WithValue(new[] { "Must be between 1 and 3650 days." }));
        Assert.That(errors, Does.ContainKey("holdDays").WithValue(new[] { "Must be between 0 and 365 days." }));
        Assert.That(errors, Does.ContainKey("yearlyCapPerReferrer"));
        Assert.That(errors, Does.ContainKey("minimumOrderSubtotal").WithValue(new[] { "Cannot be negative." }));
        Assert.That(errors, Does.ContainKey("fraud.maxFriendsPerIpPerDay").WithValue(new[] { "Must be at least 1." }));
        Assert.That(errors, Does.ContainKey("milestones[0].at"));
        Assert.That(errors, Does.ContainKey("milestones").WithValue(new[] { "Two milestones at the same count." }));
    }

    [Test]
    public void Validate_HoldOfZeroAndFreeShippingWithoutValue_Allowed()
    {
        var p = new ProgramSettings { HoldDays = 0, FriendOffer = new(OfferType.FreeShipping, Value: 0m), YearlyCapPerReferrer = null };
        Assert.That(p.Validate(), Is.Empty);
    }

    [Test]
    public void Validate_RewardCurrencyMustBeAnIsoCode()
    {
        Assert.That(new ProgramSettings { Reward = new(RewardType.StoreCredit, 5m, Currency: "usd") }.Validate(),
            Does.ContainKey("reward.currency").WithValue(new[] { "A three-letter ISO 4217 code in capitals, e.g. USD, or left empty for the shop's currency." }));
        Assert.That(new ProgramSettings { Reward = new(RewardType.StoreCredit, 5m, Currency: "EUR") }.Validate(), Is.Empty);
    }

    [Test]
    public async Task Save_InvalidStoresNothing_ValidIsTheNextVersion()
    {
        await using var h = await EngineHarness.StartAsync();
        var store = h.Get<ProgramStore>();
        var first = await store.GetActiveAsync(EngineHarness.Shop);
        var (rejected, errors) = await store.SaveAsync(EngineHarness.Shop, new ProgramSettings { HoldDays = 400 });
        Assert.That((rejected, errors.Keys), Is.EqualTo(((ProgramVersion?)null, new[] { "holdDays" })));
        Assert.That((await store.GetActiveAsync(EngineHarness.Shop)).Version, Is.EqualTo(first.Version));

        var (saved, _) = await store.SaveAsync(EngineHarness.Shop, new ProgramSettings { HoldDays = 7 });
        Assert.That(saved!.Version, Is.EqualTo(first.Version + 1));
        Assert.That((await store.GetActiveAsync(EngineHarness.Shop)).Settings.HoldDays, Is.EqualTo(7));
        Assert.That((await store.FindAsync(EngineHarness.Shop, first.Version))!.Settings.HoldDays, Is.EqualTo(14), "the old version is kept");
    }
}
