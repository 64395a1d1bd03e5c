// Validates GraphQL documents against an SDL schema file.
// Usage: node validate.mjs <schema.graphql> < documents.json   ({"Name": "query ...", ...})
// Prints each document's errors and exits 1 if any document is invalid, 2 on bad usage.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate, NoDeprecatedCustomRule } from 'graphql';

const schemaPath = process.argv[2];
if (!schemaPath) {
  console.error('usage: node validate.mjs <schema.graphql> < documents.json');
  process.exit(2);
}

// Shopify's SDL is published, not hand-written: trust it and skip SDL validation (it is 3 MB).
const schema = buildSchema(readFileSync(schemaPath, 'utf8'), { assumeValidSDL: true });
const documents = JSON.parse(readFileSync(0, 'utf8'));

let failed = 0;
for (const [name, source] of Object.entries(documents)) {
  let errors;
  try {
    errors = validate(schema, parse(source));
  } catch (e) {
    errors = [e]; // a syntax error from parse
  }
  if (errors.length === 0) {
    // Deprecated fields still work, so they warn instead of failing; move off them before the version bump.
    const warnings = validate(schema, parse(source), [NoDeprecatedCustomRule]);
    for (const w of warnings) console.log(`warn ${name} ${w.message}`);
    console.log(`ok   ${name}`);
    continue;
  }
  failed++;
  for (const e of errors) {
    const where = e.locations?.map(l => `${l.line}:${l.column}`).join(',') ?? '';
    console.log(`FAIL ${name} ${where} ${e.message}`);
  }
}
console.log(`${Object.keys(documents).length - failed} valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
