// Checks the Jingnei web UI in Debian's Chromium against a running app, as a visitor would use it:
//   1. the full page at <app>/ (desktop 1280x800, then phone 360x740);
//   2. the widget embedded on a page of another origin (served here, with hostile CSS and a token route).
// For each: type a question, press Enter, see the send button disabled, see the answer grow in at least 3 steps
// while it streams, see it finish with sources and no console error; save screenshots and check they are not blank.
//
// Usage: node browser-check.mjs --app http://127.0.0.1:8080 --out target/browser-check [--token <key or token>]
//          [--question 退款多久能到账？]
// --token is the client key (JINGNEI_CLIENT_KEYS) or token the app wants: the page gets it as /#token=...,
// the widget from the host page's /api/jingnei-token. The widget calls the app from http://127.0.0.1:<free port>,
// so the app must answer CORS for that origin. Needs /usr/bin/chromium (Debian package chromium).
// Prints one JSON summary on stdout. Exit 0: every check passed; 1: a check failed (the reason on stderr and in
// the summary's "error", a <check>-failure.png in --out); 2: bad arguments.
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const TIMEOUT_MS = 30_000;
const OVERALL_TIMEOUT_MS = 240_000;
const MIN_GROWTH_STEPS = 3; // --min-steps 0 for an answer sent whole (the extractive quick start replays its extract at once)
const SAMPLE_EVERY_MS = 20;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function parseArgs(argv) {
  const opts = { question: '退款多久能到账？', 'min-steps': String(MIN_GROWTH_STEPS) };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') usage('checks the Jingnei web UI in Chromium', 0);
    const [name, inline] = arg.split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (!['--app', '--out', '--token', '--question', '--host-port', '--min-steps'].includes(name) || value === undefined) {
      usage(`unknown or incomplete argument: ${arg}`);
    }
    opts[name.slice(2)] = value;
  }
  if (!opts.app || !opts.out) usage('--app and --out are required');
  try {
    opts.app = new URL(opts.app).href.replace(/\/+$/, '');
  } catch {
    usage(`--app is not a URL: ${opts.app}`);
  }
  return opts;
}

function usage(problem, exitCode = 2) {
  console.error(`browser-check: ${problem}\n` +
    'usage: node browser-check.mjs --app <base URL of the running app> --out <dir for screenshots> ' +
    '[--token <client key or token>] [--question <text>] [--host-port <port of the embedding site, default any free port>] ' +
    '[--min-steps <visible growth steps required, default 3>]');
  process.exit(exitCode);
}

// Runs in the page: finds a data-jingnei hook through every open shadow root.
function deepFind(name) {
  const walk = (root) => {
    const hit = root.querySelector(`[data-jingnei="${name}"]`);
    if (hit) return hit;
    for (const el of root.querySelectorAll('*')) {
      const found = el.shadowRoot && walk(el.shadowRoot);
      if (found) return found;
    }
    return null;
  };
  return walk(document);
}

// Runs in the page: records the send button's disabled changes (MutationObserver, exact) and the latest answer's
// text every few ms (what a reader would see) from the moment the question is sent until the button is enabled.
function startRecorder(everyMs) {
  const find = window.__jingneiFind;
  const send = find('send');
  const rec = { samples: [], sawDisabled: false, finished: false, t0: performance.now() };
  const ms = () => Math.round(performance.now() - rec.t0);
  const sample = () => {
    if (!rec.sawDisabled) return; // before the send, the hook may still mark an earlier answer
    const answer = find('answer');
    const text = answer ? answer.textContent : '';
    const last = rec.samples[rec.samples.length - 1];
    if (!last || last.text !== text) rec.samples.push({ t: ms(), text, streaming: send.disabled });
  };
  const observer = new MutationObserver(() => {
    if (send.disabled && !rec.sawDisabled) {
      rec.sawDisabled = true;
      rec.disabledAt = ms();
    } else if (!send.disabled && rec.sawDisabled && !rec.finished) {
      sample();
      rec.finished = true;
      rec.enabledAt = ms();
    }
  });
  observer.observe(send, { attributes: true, attributeFilter: ['disabled'] });
  const timer = setInterval(sample, everyMs);
  rec.stop = () => {
    observer.disconnect();
    clearInterval(timer);
    return { samples: rec.samples, sawDisabled: rec.sawDisabled, finished: rec.finished,
      disabledAt: rec.disabledAt, enabledAt: rec.enabledAt };
  };
  window.__jingneiRecorder = rec;
}

// Runs in the page: what the latest answer shows once the stream has finished.
function readOutcome() {
  const find = window.__jingneiFind;
  const text = (name) => (find(name)?.textContent ?? '').trim();
  const sources = find('sources');
  const keyForm = find('key-form');
  return {
    answer: text('answer'),
    sources: sources ? [...sources.querySelectorAll('li')].map((li) => li.querySelector('summary')?.textContent.trim()) : [],
    cost: text('cost'),
    error: text('error'),
    asksForKey: !!keyForm && !keyForm.hidden,
    keyReason: keyForm && !keyForm.hidden ? (keyForm.querySelector('.reason') ?? keyForm).textContent.trim() : '',
  };
}

async function withPage(browser, name, out, fn) {
  const page = await browser.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  page.setDefaultNavigationTimeout(TIMEOUT_MS);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()} (${m.location()?.url ?? 'no url'})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const bearers = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/rag-stream')) {
      bearers.push({ url: r.url(), authorization: r.headers().authorization ?? null, cookie: r.headers().cookie ?? null,
        body: r.postData() ?? '' });
    }
  });
  await page.evaluateOnNewDocument(`window.__jingneiFind = ${deepFind.toString()};`);
  try {
    return await fn(page, { problems, bearers });
  } catch (e) {
    await page.screenshot({ path: path.join(out, `${name}-failure.png`) }).catch(() => {});
    if (problems.length) e.message += `\n  seen in the ${name} check: ${problems.join('\n  ')}`;
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
}

async function askAndWatch(page, question, label, minSteps) {
  const input = await page.waitForSelector('>>> [data-jingnei="question"]', { visible: true });
  await input.click();
  await input.type(question);
  await page.evaluate(startRecorder, SAMPLE_EVERY_MS);
  await page.keyboard.press('Enter');
  try {
    await page.waitForFunction(() => window.__jingneiRecorder.sawDisabled, { timeout: 5_000, polling: 10 });
  } catch {
    const outcome = await page.evaluate(readOutcome);
    throw new CheckFailed(`${label}: the send button did not become disabled after Enter` +
      (outcome.error ? `; error area: ${outcome.error}` : ''));
  }
  try {
    await page.waitForFunction(() => window.__jingneiRecorder.finished, { polling: 50 });
  } catch {
    throw new CheckFailed(`${label}: the answer did not finish (send button still disabled) within ${TIMEOUT_MS} ms`);
  }
  const rec = await page.evaluate(() => window.__jingneiRecorder.stop());
  const outcome = await page.evaluate(readOutcome);
  check(!outcome.asksForKey, `${label}: the app answered 401 and the page asks for an access key ` +
    `(${outcome.keyReason}); pass --token with a client key from JINGNEI_CLIENT_KEYS`);
  check(!outcome.error, `${label}: the error area shows: ${outcome.error}`);

  const growth = rec.samples.filter((s) => s.streaming && s.text);
  for (let i = 1; i < rec.samples.length; i++) {
    check(rec.samples[i].text.startsWith(rec.samples[i - 1].text),
      `${label}: the answer was rewritten, not appended: "${rec.samples[i - 1].text}" then "${rec.samples[i].text}"`);
  }
  check(outcome.answer, `${label}: the final answer is empty`);
  check(growth.length >= minSteps, `${label}: the answer grew in ${growth.length} visible step(s) while ` +
    `streaming, expected at least ${minSteps} (sampled every ${SAMPLE_EVERY_MS} ms; is the stream buffered ` +
    `somewhere?); lengths seen: ${rec.samples.map((s) => s.text.length).join(', ')}`);
  check(outcome.sources.length >= 1, `${label}: no source listed under the answer`);
  return {
    steps: growth.length,
    growth: growth.map((s) => `${s.t} ms: ${s.text.length} chars`),
    first_text_ms: growth.length ? growth[0].t : null,
    finished_ms: rec.enabledAt,
    answer: outcome.answer,
    sources: outcome.sources.length,
    source_titles: outcome.sources,
    cost: outcome.cost,
  };
}

function checkBearer(label, bearers, token) {
  check(bearers.length >= 1, `${label}: no POST to /rag-stream was seen`);
  for (const b of bearers) {
    check(!b.cookie, `${label}: the request to /rag-stream carried cookies`);
    if (token) {
      check(b.authorization === `Bearer ${token}`, `${label}: /rag-stream was called without "Authorization: Bearer <token>"`);
      check(!b.url.includes(encodeURIComponent(token)) && !b.url.includes(token), `${label}: the token is in the URL`);
    }
  }
}

async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await new Promise((r) => setTimeout(r, 150));
}

// A follow-up carries the first turn as `history`; Shift+Enter makes a new line instead of sending;
// 新对话 clears the conversation, so the next question goes without history.
async function conversationCheck(page, seen, opts, firstAnswer) {
  const minSteps = Number(opts['min-steps']);
  const input = await page.waitForSelector('>>> [data-jingnei="question"]', { visible: true });
  await input.click();
  const sent = seen.bearers.length;
  await input.type('还有');
  await page.keyboard.down('Shift');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Shift');
  const afterShiftEnter = await page.evaluate(() => window.__jingneiFind('question').value);
  check(afterShiftEnter.includes('\n'), 'page: Shift+Enter did not make a new line in the question');
  check(seen.bearers.length === sent, 'page: Shift+Enter sent the question');
  await page.evaluate(() => { window.__jingneiFind('question').value = ''; });
  await askAndWatch(page, '多久能退回银行卡？', 'page, follow-up', minSteps);
  const followUp = JSON.parse(seen.bearers[seen.bearers.length - 1].body);
  check(Array.isArray(followUp.history) && followUp.history.length === 2
      && followUp.history[0].role === 'user' && followUp.history[0].content === opts.question
      && followUp.history[1].role === 'assistant' && followUp.history[1].content.trim() === firstAnswer.trim(),
    `page: the follow-up did not send the first turn as history: ${JSON.stringify(followUp.history)}`);
  const newConversation = await page.waitForSelector('>>> [data-jingnei="new-conversation"]', { visible: true });
  await newConversation.click();
  await askAndWatch(page, opts.question, 'page, new conversation', minSteps);
  const fresh = JSON.parse(seen.bearers[seen.bearers.length - 1].body);
  check(!fresh.history || fresh.history.length === 0, `page: after 新对话 the question still sent history: ${JSON.stringify(fresh.history)}`);
  check(!seen.problems.length, `page: ${seen.problems.join('; ')}`);
  return { follow_up_history_turns: followUp.history.length / 2, history_after_new_conversation: (fresh.history || []).length };
}

async function pageCheck(browser, opts) {
  return withPage(browser, 'page', opts.out, async (page, seen) => {
    await page.setViewport(DESKTOP);
    const url = `${opts.app}/` + (opts.token ? `#token=${encodeURIComponent(opts.token)}` : '');
    const res = await page.goto(url, { waitUntil: 'load' });
    check(res && res.ok(), `page: GET ${opts.app}/ answered ${res ? res.status() : 'nothing'}`);
    const result = await askAndWatch(page, opts.question, 'page', Number(opts['min-steps']));
    if (opts.token) {
      const notice = await page.$eval('>>> [data-jingnei="notice"]', (n) => !n.hidden && n.textContent);
      check(notice, 'page: the page does not say it uses the token from the URL');
    }
    checkBearer('page', seen.bearers, opts.token);
    check(!seen.problems.length, `page: ${seen.problems.join('; ')}`);
    const shots = [path.join(opts.out, 'page-desktop.png'), path.join(opts.out, 'page-phone.png')];
    await settle(page);
    await page.screenshot({ path: shots[0] });
    await page.setViewport(PHONE);
    await settle(page);
    await page.screenshot({ path: shots[1] });
    check(!seen.problems.length, `page: ${seen.problems.join('; ')}`);
    const conversation = await conversationCheck(page, seen, opts, result.answer);
    return { url: opts.token ? `${opts.app}/#token=…` : `${opts.app}/`, ...result, screenshots: shots, conversation };
  });
}

const escapeAttr = (s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

// A customer's site on another origin: its CSS is loud on purpose, to show that it does not reach the widget
// and that the widget's CSS does not reach the site.
function startHostSite(opts) {
  const token = opts.token || 'dummy-token-for-an-open-app';
  const site = { tokenRequests: 0, token };
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>商家网站</title>
<style>
  * { font-size: 40px !important; color: red !important; font-family: serif !important; }
  body { background: #fffbe6; margin: 24px; }
  button, textarea, div, section, p { border: 4px dashed red !important; padding: 12px !important; }
</style></head>
<body><h1 id="host-heading">商家自己的网站</h1><p id="host-text">这段文字属于宿主页面：红色，40px。</p>
<script src="${escapeAttr(opts.app)}/widget.js" data-endpoint="${escapeAttr(opts.app)}"
  data-token-url="/api/jingnei-token" data-title="在线客服" data-open="true"></script>
</body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    } else if (req.url === '/api/jingnei-token') {
      site.tokenRequests++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ token, expires_in: 300 }));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(opts.hostPort ?? opts['host-port'] ?? 0), '127.0.0.1', () => {
      site.url = `http://127.0.0.1:${server.address().port}/`;
      site.close = () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); });
      resolve(site);
    });
  });
}

async function widgetCheck(browser, opts, site) {
  check(new URL(site.url).origin !== new URL(opts.app).origin, 'widget: the host site must be another origin');
  return withPage(browser, 'widget', opts.out, async (page, seen) => {
    await page.setViewport(DESKTOP);
    await page.goto(site.url, { waitUntil: 'load' });
    await page.waitForSelector('>>> [data-jingnei="launcher"]');
    const panel = await page.waitForSelector('>>> [data-jingnei="panel"]');
    const open = await panel.evaluate((p) => !p.hidden && p.getBoundingClientRect().width > 0);
    check(open, 'widget: data-open="true" did not open the panel');
    const isolation = await page.evaluate(() => {
      const q = window.__jingneiFind('question');
      const inside = getComputedStyle(q);
      const outside = getComputedStyle(document.getElementById('host-text'));
      return { widget_font_size: inside.fontSize, widget_color: inside.color,
        host_font_size: outside.fontSize, host_color: outside.color };
    });
    check(isolation.widget_font_size !== '40px' && isolation.widget_color !== 'rgb(255, 0, 0)',
      `widget: the host page's CSS reached into the widget: ${JSON.stringify(isolation)}`);
    check(isolation.host_font_size === '40px' && isolation.host_color === 'rgb(255, 0, 0)',
      `widget: the widget changed the host page's own styles: ${JSON.stringify(isolation)}`);
    const result = await askAndWatch(page, opts.question, 'widget', Number(opts['min-steps']));
    check(site.tokenRequests >= 1, 'widget: the host page\'s /api/jingnei-token was never asked');
    checkBearer('widget', seen.bearers, site.token);
    check(!seen.problems.length, `widget: ${seen.problems.join('; ')}`);
    const shots = [path.join(opts.out, 'widget-desktop.png'), path.join(opts.out, 'widget-phone.png')];
    await settle(page);
    await page.screenshot({ path: shots[0] });
    await page.setViewport(PHONE);
    await settle(page);
    await page.screenshot({ path: shots[1] });
    check(!seen.problems.length, `widget: ${seen.problems.join('; ')}`);
    return { host: site.url, ...result, token_requests: site.tokenRequests, isolation, screenshots: shots };
  });
}

// Runs in a blank page: decodes a PNG and counts its colours.
async function measurePng(base64) {
  const img = new Image();
  img.src = `data:image/png;base64,${base64}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const counts = new Map();
  for (let i = 0; i < px.length; i += 4) {
    const rgb = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
    counts.set(rgb, (counts.get(rgb) || 0) + 1);
  }
  const dominant = Math.max(...counts.values());
  return { width: canvas.width, height: canvas.height, distinct_colours: counts.size,
    dominant_share: Math.round((dominant / (px.length / 4)) * 1000) / 1000 };
}

async function blankCheck(browser, files, out) {
  return withPage(browser, 'blank-check', out, async (page) => {
    await page.goto('about:blank');
    const results = [];
    for (const file of files) {
      const m = await page.evaluate(measurePng, fs.readFileSync(file).toString('base64'));
      // Text on a chat has hundreds of anti-aliased colours; a blank or single-colour screen has one or two.
      check(m.distinct_colours >= 32 && m.dominant_share <= 0.97,
        `screenshot ${file} looks blank: ${m.distinct_colours} colours, one colour covers ${m.dominant_share * 100}%`);
      results.push({ path: file, ...m });
    }
    return results;
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.out, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jingnei-chromium-'));
  const summary = { ok: false, app: opts.app };
  const watchdog = setTimeout(() => {
    summary.error = `still running after ${OVERALL_TIMEOUT_MS} ms`;
    console.log(JSON.stringify(summary, null, 2));
    console.error(`browser-check: FAILED: ${summary.error}`);
    fs.rmSync(userDataDir, { recursive: true, force: true });
    process.exit(1); // puppeteer kills the browser it started when the process exits
  }, OVERALL_TIMEOUT_MS);
  watchdog.unref();
  let browser;
  let site;
  let step = 'launching /usr/bin/chromium';
  try {
    browser = await puppeteer.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [...CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`],
      timeout: TIMEOUT_MS,
      protocolTimeout: TIMEOUT_MS * 2,
    });
    summary.chromium = await browser.version();
    step = `page check (${opts.app}/)`;
    summary.page = await pageCheck(browser, opts);
    step = 'widget check';
    site = await startHostSite(opts);
    summary.widget = await widgetCheck(browser, opts, site);
    step = 'screenshot check';
    summary.screenshots = await blankCheck(browser,
      [...summary.page.screenshots, ...summary.widget.screenshots], opts.out);
    summary.ok = true;
  } catch (e) {
    summary.error = e instanceof CheckFailed ? e.message : `${step}: ${e.name}: ${e.message}`;
  } finally {
    await browser?.close().catch(() => {});
    await site?.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
  console.log(JSON.stringify(summary, null, 2));
  if (!summary.ok) {
    console.error(`browser-check: FAILED: ${summary.error}`);
    process.exitCode = 1;
  }
}

await main();
