using System.Globalization;
using System.Text;

namespace ShopifyReferral.Merchant;

/// <summary>
/// RFC 4180 CSV: CRLF line ends; a field holding a comma, quote, CR or LF is quoted, its quotes doubled. UTF-8 with
/// a byte order mark, without which Excel reads the file as ANSI and garbles non-ASCII names.
/// </summary>
public sealed class Csv(Stream output) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 16 * 1024, leaveOpen: true)
    {
        NewLine = "\r\n",
    };

    public async Task RowAsync(params object?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) await _writer.WriteAsync(',');
            await _writer.WriteAsync(Field(fields[i]));
        }
        await _writer.WriteLineAsync();
    }

    public static string Field(object? value)
    {
        var s = value switch
        {
            null => "",
            string text => Text(text),
            DateTimeOffset d => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    /// <summary>A time column: Unix ms to UTC "yyyy-MM-dd HH:mm:ss", empty when null.</summary>
    public static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    // Text a customer typed (a name, an email) can start with = + - @, which spreadsheets run as a formula
    // (CSV injection, OWASP). A leading apostrophe makes it plain text; numbers are not strings here, so amounts are untouched.
    private static string Text(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    public async ValueTask DisposeAsync()
    {
        await _writer.FlushAsync();
        await _writer.DisposeAsync();
    }
}
