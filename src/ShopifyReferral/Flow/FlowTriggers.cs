using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShopifyReferral.Events;

namespace ShopifyReferral.Flow;

/// <summary>
/// Our Flow triggers (extensions/flow-*/shopify.extension.toml): which outbox event fires which trigger, and the
/// payload it sends. customer_id is the customer_reference field (the referrer); the other keys are the trigger's
/// fields by their TOML keys. Ids and the reward code only: nothing else about the customer leaves the app.
/// </summary>
public static class FlowTriggers
{
    public sealed record Trigger(string Handle, string EventType, Func<JsonElement, JsonObject> Payload);

    public static readonly IReadOnlyList<Trigger> All =
    [
        new("referral-approved", EventTypes.ReferralApproved, Referral),
        new("referral-needs-review", EventTypes.ReferralInReview, Referral),
        new("referral-voided", EventTypes.ReferralVoided, Referral),
        new("reward-issued", EventTypes.RewardIssued, d => Reward(d, withCode: true)),
        new("reward-clawed-back", EventTypes.RewardClawedBack, d => Reward(d, withCode: false)),
    ];

    public static Trigger? ForEvent(string type) => All.FirstOrDefault(t => t.EventType == type);

    public static Trigger? ByHandle(string handle) => All.FirstOrDefault(t => t.Handle == handle);

    private static JsonObject Referral(JsonElement d) => new()
    {
        ["customer_id"] = Long(d, "referrer_customer_id"),
        ["Referral id"] = Text(d, "referral_id"),
        ["Order id"] = Text(d, "order_id"),
        ["Reason"] = Text(d, "reason") ?? "",
    };

    private static JsonObject Reward(JsonElement d, bool withCode)
    {
        var o = new JsonObject
        {
            ["customer_id"] = Long(d, "referrer_customer_id"),
            ["Reward id"] = Text(d, "reward_id"),
            ["Reward type"] = Text(d, "reward_type"),
        };
        if (withCode) o["Reward code"] = Text(d, "code") ?? ""; // store credit has no code
        else o["Reason"] = Text(d, "reason") ?? "";
        return o;
    }

    private static long? Long(JsonElement d, string name) =>
        d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string? Text(JsonElement d, string name) =>
        !d.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetInt64().ToString(CultureInfo.InvariantCulture)
        : v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
