using System.Globalization;

namespace ShopifyReferral.Merchant;

/// <summary>
/// The one rule for <c>from</c>/<c>to</c> on every merchant API endpoint: UTC calendar days, both included, so
/// <c>from=2026-11-22&amp;to=2026-11-22</c> is that whole day, the range [from 00:00, the day after to 00:00). A full
/// ISO 8601 timestamp is accepted too and stands for its UTC day. Either bound may be left out.
/// </summary>
public readonly record struct DateRange(DateTimeOffset? Start, DateTimeOffset? End)
{
    private static readonly string[] Formats =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>The start as stored times compare (Unix ms, included); null when open.</summary>
    public long? StartMs => Start?.ToUnixTimeMilliseconds();

    /// <summary>The end as stored times compare (Unix ms, excluded: the first moment after the last day); null when open.</summary>
    public long? EndMs => End?.ToUnixTimeMilliseconds();

    /// <summary>The range, or a validation problem naming the field that is wrong.</summary>
    public static bool TryParse(string? from, string? to, out DateRange range, out IResult? problem)
    {
        var errors = new Dictionary<string, string[]>();
        var first = Day(from, "from", errors);
        var last = Day(to, "to", errors);
        if (first > last)
            errors["to"] = [$"'to' ({to}) is before 'from' ({from}). Both days are included: from=to is one day."];
        range = new(first, last?.AddDays(1));
        problem = errors.Count > 0 ? Problems.Invalid(errors) : null;
        return problem is null;
    }

    private static DateTimeOffset? Day(string? text, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        // An unencoded '+' of an offset arrives as a space; read it as the '+' it was.
        if (DateTimeOffset.TryParseExact(text.Trim().Replace(' ', '+'), Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return new DateTimeOffset(at.UtcDateTime.Date, TimeSpan.Zero);
        errors[name] = [$"A UTC day such as 2026-11-01, or an ISO 8601 timestamp such as 2026-11-01T09:30:00Z (got '{text}')."];
        return null;
    }
}
