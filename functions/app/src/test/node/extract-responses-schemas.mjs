// Cuts the Responses API schemas out of OpenAI's official OpenAPI spec, for responses-check.mjs.
// Usage: node extract-responses-schemas.mjs <openapi.json> <commit> > openai-responses-schemas.json
// The spec is github.com/openai/openai-openapi (openapi.json, 3.4 MB); what is kept is every schema
// Response, ResponseStreamEvent and Error reach through $ref, without descriptions and examples
// (documentation, not constraints), so the check validates against the spec's own types and values.
import { readFileSync } from 'node:fs';

const [file, commit] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(file, 'utf8'));
const all = spec.components.schemas;
const DOC = new Set(['description', 'example', 'examples', 'title', 'deprecated']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_ONE = new Set(['items', 'additionalProperties', 'not', 'contains', 'propertyNames']);
const keep = new Set();

function schema(node) {
  if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (DOC.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref') reach(value.split('/').pop());
    if (SCHEMA_MAPS.has(key)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, schema(v)]));
    else if (SCHEMA_LISTS.has(key)) out[key] = value.map(schema);
    else if (SCHEMA_ONE.has(key)) out[key] = schema(value);
    else out[key] = value;
  }
  return out;
}

const cut = {};
function reach(name) {
  if (keep.has(name)) return;
  keep.add(name);
  cut[name] = schema(all[name]);
}
['Response', 'ResponseStreamEvent', 'Error'].forEach(reach);

const sorted = Object.fromEntries(Object.keys(cut).sort().map((k) => [k, cut[k]]));
const lines = Object.entries(sorted).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
console.log(`{\n  "_source": ${JSON.stringify(`github.com/openai/openai-openapi openapi.json at ${commit}, OpenAPI ${spec.openapi}, API version ${spec.info.version}; cut by extract-responses-schemas.mjs`)},\n  "schemas": {\n${lines.join(',\n')}\n  }\n}`);
