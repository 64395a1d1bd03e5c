// Bundles each extension the way `shopify app build` does: esbuild, one ES module per entry, Preact's JSX, minified.
// The sandbox preview page (/sandbox/thank-you) loads these files; `shopify app deploy` builds its own.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = dirname(fileURLToPath(import.meta.url));
const entries = [
  ["referral-thank-you/src/ThankYou.tsx", "referral-thank-you/dist/thank-you.js"],
  ["referral-account/src/ReferrerPage.tsx", "referral-account/dist/account.js"],
];

for (const [entry, out] of entries) {
  const result = await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, out),
    bundle: true,
    format: "esm",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  console.log(`built ${out} (${(bytes / 1024).toFixed(1)} KiB)`);
}
