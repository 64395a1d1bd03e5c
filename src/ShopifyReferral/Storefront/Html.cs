using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace ShopifyReferral.Storefront;

/// <summary>Markup that is already safe: only the builder and <see cref="Html.Raw"/> make one.</summary>
public readonly record struct SafeHtml(string Value)
{
    public override string ToString() => Value;
}

/// <summary>
/// A small HTML builder. Every hole in an interpolated string is HTML-encoded unless it is a <see cref="SafeHtml"/>,
/// so a shopper's name or a merchant's wording can never become markup; literal text is the template and kept.
/// </summary>
public sealed class Html
{
    private readonly StringBuilder _sb = new();

    public static SafeHtml Raw(string markup) => new(markup);

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public Html Add([InterpolatedStringHandlerArgument("")] ref Handler markup) => this;

    public Html Add(SafeHtml markup)
    {
        _sb.Append(markup.Value);
        return this;
    }

    public SafeHtml ToSafe() => new(_sb.ToString());

    public override string ToString() => _sb.ToString();

    [InterpolatedStringHandler]
    public readonly ref struct Handler
    {
        private readonly StringBuilder _sb;

        public Handler(int literalLength, int formattedCount, Html html)
        {
            _ = literalLength + formattedCount;
            _sb = html._sb;
        }

        public void AppendLiteral(string s) => _sb.Append(s);

        public void AppendFormatted(SafeHtml value) => _sb.Append(value.Value);

        public void AppendFormatted<T>(T value) => _sb.Append(Encode(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)));

        public void AppendFormatted<T>(T value, string format) where T : IFormattable =>
            _sb.Append(Encode(value.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));
    }
}
