// Drives POST /v1/responses of a running Jingnei app with the official openai npm client (changing
// nothing but baseURL) and validates every Response object and every streamed event against the
// schemas of OpenAI's own OpenAPI spec (openai-responses-schemas.json, cut by
// extract-responses-schemas.mjs) with ajv. The Java side (OpenAiNodeSdkIT) scripts the upstream.
// Usage: node responses-check.mjs <baseURL> <apiKey>; prints one JSON object of observations.
import OpenAI from 'openai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const { schemas } = JSON.parse(readFileSync(new URL('./openai-responses-schemas.json', import.meta.url), 'utf8'));
// OpenAPI 3.1 schemas are JSON Schema 2020-12. Formats (unixtime...) are OpenAI's labels, not checks.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'openai', components: { schemas } });
const check = (name) => ajv.getSchema(`openai#/components/schemas/${name}`);
const eventSchemaByType = Object.fromEntries(schemas.ResponseStreamEvent.anyOf
  .concat(schemas.ResponseStreamEvent.oneOf ?? [])
  .map((ref) => ref.$ref.split('/').pop())
  .map((name) => [schemas[name].properties.type.enum[0], name]));

const invalid = [];
function validate(name, value, where) {
  const fn = check(name);
  if (!fn(value)) invalid.push({ where, schema: name, errors: fn.errors.slice(0, 5), value });
}
function validateEvent(event, where) {
  const name = eventSchemaByType[event.type];
  if (!name) {
    invalid.push({ where, schema: 'ResponseStreamEvent', errors: [`no event type ${event.type} in the spec`], value: event });
    return;
  }
  validate(name, event, `${where} ${event.type}`);
  validate('ResponseStreamEvent', event, `${where} ${event.type} (union)`);
}

// 1. Text in, a whole Response out.
const created = await client.responses.create({ model: 'deepseek-v3.2', instructions: '用中文回答', input: '你好' });
validate('Response', created, 'create');

// 2. The raw event stream, each event checked.
const rawTypes = [];
let rawText = '';
for await (const event of await client.responses.create({ model: 'deepseek-v3.2', input: '退货流程？', stream: true })) {
  validateEvent(event, 'stream');
  rawTypes.push(event.type);
  if (event.type === 'response.output_text.delta') rawText += event.delta;
}

// 3. The SDK's stream helper: its own accumulation must agree with the final Response.
const helper = client.responses.stream({ model: 'deepseek-v3.2', input: [{ role: 'user', content: [{ type: 'input_text', text: '数到三' }] }] });
let helperText = '';
helper.on('response.output_text.delta', (e) => { helperText += e.delta; });
const helperFinal = await helper.finalResponse();
validate('Response', helperFinal, 'stream helper final');

// 4. A function tool: the model calls it, the caller answers with its output in the next request.
const tools = [{ type: 'function', name: 'get_weather', description: '当前天气', strict: true,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } }];
const asked = await client.responses.create({ model: 'deepseek-v3.2', input: '北京天气？', tools });
validate('Response', asked, 'tool call');
const call = asked.output.find((item) => item.type === 'function_call');
const answered = await client.responses.create({
  model: 'deepseek-v3.2',
  tools,
  input: [{ role: 'user', content: '北京天气？' }, ...asked.output,
    { type: 'function_call_output', call_id: call.call_id, output: '{"temp":"3°C"}' }],
});
validate('Response', answered, 'after tool output');

// 5. A streamed function call: argument deltas, then the whole call in the final Response.
const toolStream = client.responses.stream({ model: 'deepseek-v3.2', input: '上海天气？', tools });
const toolEvents = [];
toolStream.on('event', (e) => { validateEvent(e, 'tool stream'); toolEvents.push(e.type); });
const toolFinal = await toolStream.finalResponse();

// 6. What needs a stored response is refused, naming the param.
let previous = null;
try {
  await client.responses.create({ model: 'deepseek-v3.2', input: '继续', previous_response_id: created.id });
} catch (e) {
  previous = { status: e.status, param: e.param, message: e.message };
}

// 7. The upstream breaks mid-stream: the SDK raises, after the events that came.
const brokenTypes = [];
let broken = null;
try {
  for await (const event of await client.responses.create({ model: 'deepseek-v3.2', input: '讲个故事', stream: true })) {
    validateEvent(event, 'broken stream');
    brokenTypes.push(event.type);
  }
} catch (e) {
  broken = { name: e.constructor.name, message: e.message };
}

console.log(JSON.stringify({
  invalid,
  created: { id: created.id, object: created.object, status: created.status, model: created.model,
    outputText: created.output_text, usage: created.usage, itemType: created.output[0]?.type },
  rawTypes,
  rawText,
  helperText,
  helperFinal: { status: helperFinal.status, outputText: helperFinal.output_text, usage: helperFinal.usage },
  call,
  answeredText: answered.output_text,
  toolEvents,
  toolFinalCall: toolFinal.output.find((item) => item.type === 'function_call'),
  previous,
  brokenTypes,
  broken,
}));
