// Drives a running Jingnei app with the official openai npm client, changing nothing but baseURL.
// Usage: node sdk-check.mjs <baseURL> <apiKey>; prints one JSON object of observations.
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const models = (await client.models.list()).data.map((m) => m.id);
const model = await client.models.retrieve('deepseek-v3.2');
let unknownModel = null;
try {
  await client.models.retrieve('gpt-9');
} catch (e) {
  unknownModel = { status: e.status, type: e.type, message: e.message };
}
// The npm client asks for base64 by default and decodes it itself: the widest check of our base64.
const embeddings = await client.embeddings.create({ model: 'bge-small-zh', input: ['退货运费谁承担？', '发票怎么开'] });

const stream = await client.chat.completions.create({
  model: 'deepseek-v3.2',
  messages: [{ role: 'user', content: '请数到十' }],
  stream: true,
  stream_options: { include_usage: true },
});
const arrivals = [];
let text = '';
let usage = null;
for await (const chunk of stream) {
  const delta = chunk.choices[0]?.delta?.content;
  if (delta) {
    arrivals.push(performance.now());
    text += delta;
  }
  if (chunk.usage) usage = chunk.usage;
}
const gaps = arrivals.slice(1).map((t, i) => Math.round(t - arrivals[i]));

const completion = await client.chat.completions.create({
  model: 'deepseek-v3.2',
  messages: [{ role: 'user', content: '你好' }],
});

console.log(JSON.stringify({
  models,
  model: model.id,
  unknownModel,
  embeddings: embeddings.data.map((d) => Array.from(d.embedding)),
  chunks: arrivals.length,
  text,
  gaps,
  usage,
  content: completion.choices[0].message.content,
}));
