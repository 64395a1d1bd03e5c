using ShopifyReferral.Storefront;

namespace ShopifyReferral.Extensions;

/// <summary>One share button: the channel it records at /r/, what it says, where it goes.</summary>
public sealed record ShareChannel(string Channel, string Label, string Url);

/// <summary>
/// What the thank-you block shows. Show = false (with a Reason: guest, program_off, not_paid, cancelled, blocked,
/// not_recent) means render nothing; every other field is then null.
/// </summary>
public sealed record ThankYouAnswer(bool Show, string? Reason)
{
    public string? Code { get; init; }
    public string? ShareUrl { get; init; }
    public string? Headline { get; init; }

    /// <summary>What a friend gets, in the program's words.</summary>
    public string? Offer { get; init; }
    public IReadOnlyList<ShareChannel>? Channels { get; init; }

    /// <summary>This order itself used another referrer's code.</summary>
    public bool JoinedThroughFriend { get; init; }

    /// <summary>False while the code is still being created in Shopify (it works within minutes).</summary>
    public bool CodeReady { get; init; }

    /// <summary>The merchant deleted the referrer's code in Shopify: Code, ShareUrl and Channels are left out.</summary>
    public bool CodeRemoved { get; init; }

    public static ThankYouAnswer Hidden(string reason) => new(false, reason);
}

/// <summary>A reward as the referrer's page shows it; Status adds <c>expired</c> (issued and past its date) to the stored ones.</summary>
public sealed record AccountReward(string Description, string? Code, string Status, DateTimeOffset? ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>The referrer's page in customer accounts.</summary>
public sealed record ReferrerAnswer(bool Enrolled, bool ProgramOn)
{
    public string? Headline { get; init; }
    public string? Offer { get; init; }
    public string? Code { get; init; }
    public string? ShareUrl { get; init; }
    public IReadOnlyList<ShareChannel>? Channels { get; init; }
    public bool Blocked { get; init; }

    /// <summary>The merchant deleted the referrer's code in Shopify: Code and the share links are left out.</summary>
    public bool CodeRemoved { get; init; }

    /// <summary>Friends who ordered with the code: status, and until when a pending one is on hold.</summary>
    public IReadOnlyList<ShopperReferral>? Referrals { get; init; }
    public IReadOnlyList<AccountReward>? Rewards { get; init; }

    /// <summary>How a new referrer joins, for a customer who has not yet.</summary>
    public string? Join { get; init; }
}
