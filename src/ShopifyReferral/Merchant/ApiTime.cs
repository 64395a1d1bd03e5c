using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ShopifyReferral.Merchant;

/// <summary>
/// Every time the API answers is an ISO 8601 UTC string with milliseconds, "2026-11-22T12:00:00.000Z". The tables keep
/// Unix milliseconds (cheap to compare and index on every provider); the conversion happens only here, at the edge.
/// </summary>
public static class ApiTime
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Text(DateTimeOffset t) => t.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string Text(long unixMs) => Text(DateTimeOffset.FromUnixTimeMilliseconds(unixMs));

    internal static DateTimeOffset Parse(ref Utf8JsonReader reader) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>
/// A stored Unix-milliseconds column written as ISO 8601 UTC: put <c>[JsonConverter(typeof(UnixMsJson))]</c> on a
/// long (or long?) property of an API answer. Reads either form.
/// </summary>
public sealed class UnixMsJson : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : ApiTime.Parse(ref reader).ToUnixTimeMilliseconds();

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteStringValue(ApiTime.Text(value));
}

/// <summary>DateTimeOffset in UTC with a Z, the same text as <see cref="UnixMsJson"/> (the default writer keeps "+00:00").</summary>
public sealed class UtcJson : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ApiTime.Parse(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(ApiTime.Text(value));
}
