// Drives a running Jingnei app with the official openai npm client, changing nothing but baseURL.
// Usage: node sdk-check.mjs <baseURL> <apiKey>; prints one JSON object of observations.
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const models = (await client.models.list()).data.map((m) => m.id);

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
  chunks: arrivals.length,
  text,
  gaps,
  usage,
  content: completion.choices[0].message.content,
}));
