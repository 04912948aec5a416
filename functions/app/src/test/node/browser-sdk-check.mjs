// The official openai npm client, unchanged, in Debian's Chromium on a page of another origin, against a running app:
// a streamed chat completion with an end-user token (dangerouslyAllowBrowser), the SDK's x-stainless-* headers passing
// the CORS preflight, and the headers it reads (x-request-id, x-should-retry) exposed to it.
//
// Usage: node browser-sdk-check.mjs --app http://127.0.0.1:8080 --token <end-user JWT> --host-port <free port>
// The page is served from http://127.0.0.1:<host-port> (JINGNEI_CORS_ORIGINS must list it), with the SDK's own ESM
// files from node_modules/openai. Prints one JSON summary on stdout; exit 0 when every check passed, 1 otherwise.
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const sdkDir = path.join(here, 'node_modules', 'openai');
const opts = {};
for (let i = 2; i < process.argv.length; i += 2) opts[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
if (!opts.app || !opts.token || !opts['host-port']) {
  console.error('usage: node browser-sdk-check.mjs --app <url> --token <jwt> --host-port <port>');
  process.exit(2);
}

const page = `<!doctype html><meta charset="utf-8"><title>shop</title><script type="module">
import OpenAI from '/openai/index.mjs';
window.run = async (app, token) => {
  const client = new OpenAI({ baseURL: app + '/v1', apiKey: token, dangerouslyAllowBrowser: true, maxRetries: 0 });
  const { data: stream, response } = await client.chat.completions
    .create({ model: 'deepseek-v3.2', stream: true, messages: [{ role: 'user', content: '退款多久到账？' }] })
    .withResponse();
  let text = '';
  let chunks = 0;
  for await (const chunk of stream) { chunks++; text += chunk.choices[0]?.delta?.content ?? ''; }
  let refused = null;
  try {
    await client.chat.completions.create({ model: 'deepseek-v3.2', messages: [] });
  } catch (e) {
    refused = { status: e.status, shouldRetry: e.headers?.get('x-should-retry') ?? null, requestId: e.headers?.get('x-request-id') ?? null };
  }
  return { text, chunks, requestId: response.headers.get('x-request-id'), refused };
};
window.ready = true;
</script>`;

const types = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    return;
  }
  const file = path.normalize(path.join(sdkDir, url.pathname.replace(/^\/openai\//, '')));
  if (!url.pathname.startsWith('/openai/') || !file.startsWith(sdkDir) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(Number(opts['host-port']), '127.0.0.1', resolve));

const summary = { consoleErrors: [] };
let code = 0;
const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'] });
try {
  const tab = await browser.newPage();
  tab.on('console', (m) => { if (m.type() === 'error') summary.consoleErrors.push(m.text()); });
  await tab.goto(`http://127.0.0.1:${opts['host-port']}/`);
  await tab.waitForFunction('window.ready === true', { timeout: 30_000 });
  summary.result = await tab.evaluate((app, token) => window.run(app, token), opts.app, opts.token);
} catch (e) {
  summary.error = String(e && e.stack || e);
  code = 1;
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(summary));
process.exit(code);
