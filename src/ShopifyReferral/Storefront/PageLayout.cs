namespace ShopifyReferral.Storefront;

/// <summary>
/// The page shell: a complete HTML document with its own small stylesheet, readable on a phone.
/// Served as text/html, so Shopify shows it as is rather than inside the theme (application/liquid would):
/// the page then looks the same in every theme, and text from shoppers or merchants can never be read as Liquid.
/// </summary>
public static class PageLayout
{
    public const string ContentType = "text/html; charset=utf-8";

    private const string Css = """
        :root { --ink:#1f2933; --muted:#52606d; --line:#e4e7eb; --accent:#0b6e4f; --soft:#f5f7fa; }
        * { box-sizing: border-box; }
        [hidden] { display:none !important; }
        body { margin:0; font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--soft); }
        main { max-width:42rem; margin:0 auto; padding:1.25rem; }
        h1 { font-size:1.75rem; line-height:1.2; margin:.5rem 0 1rem; }
        h2 { font-size:1.2rem; margin:0 0 .5rem; }
        h3 { font-size:1rem; margin:1rem 0 .25rem; }
        p { margin:.25rem 0 .75rem; }
        .card { background:#fff; border:1px solid var(--line); border-radius:12px; padding:1.1rem 1.25rem; margin:0 0 1rem; }
        .muted { color:var(--muted); font-size:.9rem; }
        .code { font:700 1.6rem/1.2 ui-monospace,Menlo,Consolas,monospace; letter-spacing:.05em; }
        .btn { display:inline-block; background:var(--accent); color:#fff; border:0; border-radius:8px; padding:.7rem 1.2rem;
               font:600 1rem system-ui,sans-serif; text-decoration:none; cursor:pointer; }
        .share { display:flex; flex-wrap:wrap; gap:.5rem; margin:.75rem 0 0; padding:0; list-style:none; }
        .share a, .share button { display:inline-block; padding:.5rem .9rem; border:1px solid var(--line); border-radius:999px;
               background:#fff; color:var(--ink); text-decoration:none; font:500 .95rem system-ui,sans-serif; cursor:pointer; }
        .link { width:100%; padding:.6rem; border:1px solid var(--line); border-radius:8px; font:.95rem ui-monospace,monospace; }
        table { width:100%; border-collapse:collapse; font-size:.95rem; }
        th, td { text-align:left; padding:.45rem .25rem; border-bottom:1px solid var(--line); vertical-align:top; }
        .status { display:inline-block; padding:.1rem .55rem; border-radius:999px; background:var(--soft); font-size:.85rem; }
        .nowrap { white-space:nowrap; font-family:ui-monospace,monospace; }
        .notice { border-left:4px solid var(--accent); }
        @media (max-width: 30rem) { main { padding:.75rem; } h1 { font-size:1.45rem; } .code { font-size:1.35rem; } }
        """;

    // Progressive enhancement: without JavaScript the link stays visible and selectable and the button stays hidden.
    private const string CopyScript = """
        document.querySelectorAll('[data-copy]').forEach(function (b) {
          b.hidden = false;
          b.addEventListener('click', function () {
            var input = document.querySelector(b.getAttribute('data-copy'));
            input.select();
            (navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.reject()).then(
              function () { b.textContent = 'Copied!'; },
              function () { document.execCommand('copy'); b.textContent = 'Copied!'; });
          });
        });
        """;

    public static string Document(string title, SafeHtml body) =>
        new Html().Add($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>{title}</title>
            <style>{Html.Raw(Css)}</style>
            </head>
            <body>
            <main>
            {body}
            </main>
            <script>{Html.Raw(CopyScript)}</script>
            </body>
            </html>
            """).ToString();

    /// <summary>A short page for dead ends (an unknown code, a shop without the app): friendly, never a stack trace.</summary>
    public static string Message(string title, string text, string? linkText = null, string? linkUrl = null)
    {
        var body = new Html().Add($"""<div class="card"><h1>{title}</h1><p>{text}</p>""");
        if (linkUrl is not null) body.Add($"""<p><a class="btn" href="{linkUrl}">{linkText}</a></p>""");
        return Document(title, body.Add(Html.Raw("</div>")).ToSafe());
    }
}
