// Jingnei chat UI: one script, two uses, no build step and nothing loaded from elsewhere.
//   On any site: <script src="https://<function>/widget.js" data-endpoint="https://<function>"
//     data-token-url="/api/jingnei-token" data-title="在线客服" data-open="true"></script>
//   As the function's own page (index.html): the same script with data-mode="page".
// It asks POST {endpoint}/rag-stream and reads the answer as server-sent events. The conversation lives in
// memory only. A credential travels only in the Authorization header: never in a cookie (every call to the
// endpoint is made with credentials: 'omit') and never in a URL.
// Stable hooks for tests and styling, inside the open shadow root: data-jingnei="question|send|answer|sources|
// cost|error|launcher|panel|new-conversation|notice|key-form"; answer, sources and cost mark the latest answer.
(() => {
  'use strict';
  const VERSION = '1.0.0';
  const HISTORY_LIMIT = 10;
  const KEY_STORE = 'jingnei.clientKey';
  const script = document.currentScript || document.querySelector('script[src$="widget.js"]');
  if (window.Jingnei || !script) return; // embedded twice: the first copy wins

  const ds = script.dataset;
  const page = ds.mode === 'page';
  // The endpoint defaults to where the script came from: the folder of widget.js, i.e. its origin when it is
  // served at /widget.js, and the right base when a gateway puts the function under a path.
  const endpoint = new URL(ds.endpoint || '.', ds.endpoint ? location.href : script.src).href.replace(/\/+$/, '');
  const tokenUrl = ds.tokenUrl || '';
  const title = ds.title || '在线客服';

  const CSS = `
:host { all: initial !important; }
:host([data-mode=page]) { display: block !important; height: 100% !important; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.root { display: block; font: 15px/1.55 system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: #1f2328; --accent: var(--jingnei-accent, #0b5cad); }
button, textarea, input { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #e8a317; outline-offset: 2px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 56px; height: 56px; border: 0;
  border-radius: 50%; background: var(--accent); color: #fff; display: grid; place-items: center;
  box-shadow: 0 4px 16px rgba(0, 0, 0, .25); }
.launcher[aria-expanded=true] .i-chat, .launcher[aria-expanded=false] .i-close { display: none; }
.panel { display: flex; flex-direction: column; background: #fff; overflow: hidden; }
.widget .panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483001; width: 380px;
  height: min(640px, calc(100vh - 108px)); border-radius: 12px; box-shadow: 0 8px 32px rgba(0, 0, 0, .25); }
.page .panel { height: 100vh; height: 100dvh; max-width: 860px; margin: 0 auto; box-shadow: 0 0 0 1px #d8dee4; }
@media (max-width: 480px) {
  .widget .panel { inset: 0; width: auto; height: auto; border-radius: 0; }
}
.head { display: flex; align-items: center; gap: 8px; padding: 10px 12px; background: var(--accent); color: #fff; }
.title { flex: 1; margin: 0; font-size: 17px; font-weight: 600; }
.ghost { border: 1px solid rgba(255, 255, 255, .7); background: transparent; color: #fff; border-radius: 8px;
  padding: 4px 10px; min-height: 32px; }
.close { font-size: 22px; line-height: 1; padding: 0 8px; }
.notice, .keyform { margin: 0; padding: 8px 12px; background: #fff8e1; border-bottom: 1px solid #f0d98c; font-size: 14px; }
.keyform label { display: block; font-weight: 600; }
.keyform p { margin: 4px 0; }
.row { display: flex; gap: 8px; margin-top: 6px; }
.row input { flex: 1; min-width: 0; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 6px; }
.log { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 12px; display: flex; flex-direction: column;
  gap: 12px; background: #f6f8fa; }
.hello { margin: 0; color: #57606a; }
.msg { max-width: 88%; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
.user { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }
.turn { align-self: flex-start; max-width: 92%; display: flex; flex-direction: column; gap: 4px; }
.answer { max-width: 100%; background: #fff; border: 1px solid #d8dee4; border-bottom-left-radius: 4px; min-height: 2.4em; }
.answer[aria-busy=true]:empty::before { content: "正在查找资料…"; color: #57606a; }
.answer.none:empty::before { content: "抱歉，没有找到相关资料，请换个说法再问。"; color: #57606a; }
.answer[aria-busy=true]::after { content: "▍"; color: var(--accent); }
.sources { font-size: 13px; color: #424a53; }
.sources ol { margin: 2px 0 0; padding-left: 20px; }
.sources summary { cursor: pointer; padding: 2px 0; }
.sources details p { margin: 2px 0 6px; padding: 6px 8px; background: #fff; border-left: 3px solid #d8dee4;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.sim { color: #57606a; }
.meta { font-size: 12px; color: #57606a; }
.error { margin: 0; padding: 8px 12px; background: #ffebe9; color: #a40e26; font-size: 14px; border-top: 1px solid #ffc1c0; }
.error:empty { display: none; }
.composer { display: flex; gap: 8px; align-items: flex-end; padding: 10px 12px; border-top: 1px solid #d8dee4; background: #fff; }
.composer textarea { flex: 1; min-width: 0; resize: none; font-size: 16px; line-height: 1.4; max-height: 140px;
  padding: 8px 10px; border: 1px solid #8c959f; border-radius: 8px; }
.primary { border: 0; border-radius: 8px; background: var(--accent); color: #fff; padding: 0 16px; min-height: 40px; }
.primary:disabled { background: #8c959f; cursor: default; }
`;

  const ICONS = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">' +
    '<path class="i-chat" fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/>' +
    '<path class="i-close" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" d="M6 6l12 12M18 6L6 18"/></svg>';

  const HTML = `
<div class="root ${page ? 'page' : 'widget'}">
  ${page ? '' : `<button type="button" class="launcher" data-jingnei="launcher" part="launcher" aria-expanded="false"
    aria-controls="panel">${ICONS}</button>`}
  <section class="panel" id="panel" data-jingnei="panel" part="panel" ${page ? '' : 'role="dialog" hidden'}>
    <header class="head">
      <${page ? 'h1' : 'h2'} class="title" id="title"></${page ? 'h1' : 'h2'}>
      <button type="button" class="ghost" data-jingnei="new-conversation" part="new-conversation">新对话</button>
      ${page ? '' : '<button type="button" class="ghost close" aria-label="关闭对话窗口">×</button>'}
    </header>
    <p class="notice" data-jingnei="notice" hidden>正在使用 URL 中的令牌（仅供测试）。</p>
    <form class="keyform" data-jingnei="key-form" hidden>
      <label for="key">需要访问密钥（客户端密钥 JINGNEI_CLIENT_KEYS 或令牌）</label>
      <p class="reason"></p>
      <div class="row"><input id="key" type="password" autocomplete="off" spellcheck="false" required>
        <button type="submit" class="primary">保存并重试</button></div>
      <p>密钥只保存在本标签页（sessionStorage），关闭标签页即清除。</p>
    </form>
    <div class="log" role="log" aria-live="polite" aria-label="对话记录"></div>
    <p class="error" data-jingnei="error" part="error" role="alert"></p>
    <form class="composer">
      <label class="sr" for="question">输入您的问题（Enter 发送，Shift+Enter 换行）</label>
      <textarea id="question" data-jingnei="question" part="question" rows="1" placeholder="输入问题，Enter 发送"></textarea>
      <button type="submit" class="primary" data-jingnei="send" part="send">发送</button>
    </form>
  </section>
</div>`;

  let shadow, $;
  let openAtStart = ds.open === 'true';
  const state = { history: [], busy: false, controller: null, conversation: 0, pending: '' };

  // Where the bearer credential comes from: a key typed into the page or a token in the page's URL fragment
  // (page mode), else the host's token URL, cached until shortly before it expires, else none.
  const auth = {
    key: '',
    fetched: null,
    async bearer(renew) {
      if (this.key) return this.key;
      if (!tokenUrl) return '';
      if (renew || !this.fetched || Date.now() >= this.fetched.until) this.fetched = await fetchToken();
      return this.fetched.token;
    },
    renewable() { return !this.key && !!tokenUrl; },
  };

  function h(tag, cls, text) {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text != null) el.textContent = text;
    return el;
  }

  function build() {
    const host = document.createElement('jingnei-chat');
    host.setAttribute('data-mode', page ? 'page' : 'widget');
    shadow = host.attachShadow({ mode: 'open' });
    if (shadow.adoptedStyleSheets && window.CSSStyleSheet && 'replaceSync' in CSSStyleSheet.prototype) {
      // A constructed sheet is not inline style, so a host page's Content-Security-Policy does not block it.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      shadow.appendChild(h('style', '', CSS));
    }
    shadow.appendChild(document.createRange().createContextualFragment(HTML));
    $ = (sel) => shadow.querySelector(sel);
    $('.title').textContent = title;
    $('.panel').setAttribute('aria-labelledby', 'title');
    document.body.appendChild(host);

    const question = $('[data-jingnei=question]');
    question.addEventListener('keydown', (e) => {
      // Enter while an input method is composing picks a candidate (Chinese typing): it must not send.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        submitQuestion();
      }
    });
    question.addEventListener('input', autosize);
    $('.composer').addEventListener('submit', (e) => { e.preventDefault(); submitQuestion(); });
    $('[data-jingnei=new-conversation]').addEventListener('click', newConversation);
    $('.keyform').addEventListener('submit', saveKey);
    if (!page) {
      $('[data-jingnei=launcher]').addEventListener('click', () => ($('.panel').hidden ? open() : close()));
      $('.close').addEventListener('click', close);
      $('.panel').addEventListener('keydown', (e) => { if (e.key === 'Escape' && !e.isComposing) close(); });
      setLauncherLabel(false);
    }
    clearLog();

    if (page) {
      const fromUrl = tokenFromFragment();
      auth.key = fromUrl || storage('get') || '';
      $('.notice').hidden = !fromUrl;
      if (matchMedia('(pointer: fine)').matches) question.focus();
    } else if (openAtStart) {
      open(false);
    }
  }

  // #token=... as typed: URLSearchParams would turn a '+' in a client key into a space.
  function tokenFromFragment() {
    const m = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    try {
      return m ? decodeURIComponent(m[1]) : '';
    } catch {
      return m[1];
    }
  }

  function storage(op, value) {
    try { // sessionStorage throws in some sandboxed frames and privacy modes: then the key lasts for this page only
      if (op === 'get') return sessionStorage.getItem(KEY_STORE);
      sessionStorage.setItem(KEY_STORE, value);
    } catch { /* keep it in memory only */ }
    return null;
  }

  function open(focus = true) {
    if (!page) {
      $('.panel').hidden = false;
      setLauncherLabel(true);
    }
    if (focus) $('[data-jingnei=question]').focus();
  }

  function close() {
    if (page) return;
    abort();
    const hadFocus = !!shadow.activeElement;
    $('.panel').hidden = true;
    setLauncherLabel(false);
    if (hadFocus) $('[data-jingnei=launcher]').focus();
  }

  function setLauncherLabel(isOpen) {
    const launcher = $('[data-jingnei=launcher]');
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.setAttribute('aria-label', (isOpen ? '关闭' : '打开') + title);
  }

  function autosize() {
    const q = $('[data-jingnei=question]');
    if (!q.offsetParent) return; // hidden panel: nothing to measure
    q.style.height = 'auto';
    q.style.height = Math.min(q.scrollHeight + 2, 140) + 'px';
  }

  function submitQuestion() {
    const q = $('[data-jingnei=question]');
    if (state.busy || !q.value.trim()) return;
    const text = q.value.trim();
    q.value = '';
    autosize();
    ask(text);
  }

  function abort() {
    if (state.controller) state.controller.abort();
    state.controller = null;
    setBusy(false);
  }

  function newConversation() {
    abort();
    state.conversation++;
    state.history = [];
    showError('');
    clearLog();
    $('[data-jingnei=question]').focus();
  }

  function clearLog() {
    $('.log').replaceChildren(h('p', 'hello', '您好，请问有什么可以帮您？'));
    pointHooks();
  }

  function setBusy(busy) {
    state.busy = busy;
    $('[data-jingnei=send]').disabled = busy;
  }

  function showError(message) {
    $('[data-jingnei=error]').textContent = message;
  }

  // answer, sources and cost mark the latest answer only, so a test or a stylesheet never finds an old one.
  function pointHooks() {
    const turns = shadow.querySelectorAll('.turn');
    const last = turns[turns.length - 1];
    for (const name of ['answer', 'sources', 'cost']) {
      shadow.querySelectorAll(`[data-jingnei=${name}]`).forEach((el) => el.removeAttribute('data-jingnei'));
      if (last) last.querySelector('.' + name).setAttribute('data-jingnei', name);
    }
  }

  function stickToBottom(change) {
    const log = $('.log');
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    change();
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  function addTurn(question) {
    const user = h('p', 'msg user', question);
    const turn = h('div', 'turn');
    const answer = h('div', 'msg answer');
    answer.setAttribute('aria-busy', 'true');
    const text = document.createTextNode('');
    answer.appendChild(text);
    const sources = h('div', 'sources');
    sources.hidden = true;
    turn.append(answer, sources, h('div', 'meta cost'));
    stickToBottom(() => {
      $('.hello')?.remove();
      $('.log').append(user, turn);
    });
    pointHooks();
    return {
      text: () => text.data,
      append: (s) => stickToBottom(() => text.appendData(s)),
      sources: (list) => stickToBottom(() => renderSources(sources, list)),
      finish: (ev) => stickToBottom(() => {
        answer.classList.toggle('none', ev.status === 'no_context');
        turn.querySelector('.meta').textContent = describeFinal(ev);
      }),
      note: (s) => { turn.querySelector('.meta').textContent = s; },
      done: () => answer.setAttribute('aria-busy', 'false'),
      remove: () => { user.remove(); turn.remove(); if (!$('.turn')) clearLog(); pointHooks(); },
    };
  }

  function renderSources(box, list) {
    if (!list.length) return;
    const ol = h('ol');
    for (const s of list) {
      const li = h('li');
      const details = h('details');
      const summary = h('summary');
      // cite: the file and where in it (退换货政策.pdf · 第3页), set by index-build for files it read.
      const m = s.metadata || {};
      summary.append(h('span', 'src-title', m.cite || m.title || s.id || '资料'));
      if (typeof s.similarity === 'number') {
        summary.append(' ', h('span', 'sim', `相似度 ${Math.round(s.similarity * 100)}%`));
      }
      details.append(summary, h('p', '', s.text || '（无摘录）'));
      li.append(details);
      ol.append(li);
    }
    box.replaceChildren(h('div', 'sources-title', '参考资料'), ol);
    box.hidden = false;
  }

  function describeFinal(ev) {
    const parts = [];
    if (ev.status === 'no_context') parts.push('未找到相关资料');
    if (ev.mode === 'extractive') parts.push('摘录自资料');
    const cny = ev.cost && Number(ev.cost.cny);
    if (Number.isFinite(cny)) parts.push('费用 ¥' + formatCny(cny));
    const total = ev.latency_ms && Number(ev.latency_ms.total);
    if (Number.isFinite(total)) parts.push(`用时 ${Math.round(total)} ms`);
    return parts.join(' · ');
  }

  // Two significant digits for the tiny per-answer costs (¥0.00012), cents from ¥1 up.
  function formatCny(cny) {
    if (cny === 0) return '0';
    if (cny >= 1) return cny.toFixed(2);
    const decimals = Math.min(8, 1 - Math.floor(Math.log10(cny)));
    return cny.toFixed(decimals).replace(/\.?0+$/, '');
  }

  async function ask(question) {
    showError('');
    const history = state.history.slice(-HISTORY_LIMIT);
    const turn = addTurn(question);
    const controller = new AbortController();
    const conversation = state.conversation;
    state.controller = controller;
    setBusy(true);
    try {
      const res = await post(JSON.stringify({ query: question, history }), controller.signal);
      if (!res.ok) {
        turn.remove();
        await refused(res, question);
        return;
      }
      await readStream(res, turn);
    } catch (err) {
      if (controller.signal.aborted) {
        // Closing the panel stops the answer but keeps the conversation; "新对话" has already cleared it.
        if (state.conversation !== conversation) return;
        if (turn.text()) turn.note('已停止');
        else {
          turn.remove();
          restoreQuestion(question);
        }
        return;
      }
      if (turn.text()) {
        showError('连接中断，回答可能不完整。');
      } else {
        turn.remove();
        restoreQuestion(question);
        showError(err instanceof TypeError ? '无法连接客服服务，请检查网络后重试。' : err.message);
      }
    } finally {
      turn.done();
      if (state.controller === controller) {
        state.controller = null;
        setBusy(false);
      }
      if (state.conversation === conversation && turn.text()) {
        state.history.push({ role: 'user', content: question }, { role: 'assistant', content: turn.text() });
      }
    }
  }

  function restoreQuestion(question) {
    const q = $('[data-jingnei=question]');
    if (!q.value) {
      q.value = question;
      autosize();
    }
  }

  // One fresh token and one retry on a 401 when the token came from the host's token URL.
  async function post(body, signal) {
    for (let attempt = 0; ; attempt++) {
      const bearer = await auth.bearer(attempt > 0);
      const headers = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
      if (bearer) headers.Authorization = 'Bearer ' + bearer;
      const res = await fetch(endpoint + '/rag-stream', {
        method: 'POST', headers, body, signal, credentials: 'omit', cache: 'no-store',
      });
      if (res.status !== 401 || attempt > 0 || !auth.renewable()) return res;
      res.body?.cancel().catch(() => {});
    }
  }

  async function fetchToken() {
    const res = await fetch(tokenUrl, { credentials: 'same-origin', cache: 'no-store',
      headers: { Accept: 'application/json, text/plain' } });
    if (!res.ok) throw new Error(`获取访问令牌失败（HTTP ${res.status}）。`);
    const body = (await res.text()).trim();
    let token = body;
    let ttl = NaN;
    if (/^[{"]/.test(body)) {
      try {
        const json = JSON.parse(body);
        token = typeof json === 'string' ? json : json.token || json.access_token;
        ttl = Number(json.expires_in);
      } catch {
        throw new Error('访问令牌接口的回答不是有效的 JSON。');
      }
    }
    if (!token) throw new Error('访问令牌接口没有给出 token。');
    if (!(ttl > 0)) ttl = jwtSecondsLeft(token) ?? 60;
    // Renew before expiry so a token never runs out in flight: a tenth of its life early, at most 30 s.
    return { token, until: Date.now() + (ttl - Math.min(30, ttl / 10)) * 1000 };
  }

  function jwtSecondsLeft(token) {
    try {
      const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return typeof claims.exp === 'number' ? claims.exp - Date.now() / 1000 : null;
    } catch {
      return null;
    }
  }

  // A non-200 answer before any streaming: {"status": "...", "error": "message", "request_id": "..."}.
  async function refused(res, question) {
    let body = {};
    try { body = JSON.parse(await res.text()) || {}; } catch { /* not JSON: use the status alone */ }
    const err = body.error;
    let message = (typeof err === 'string' ? err : err && err.message) || body.message || '';
    const id = body.request_id ? `（请求编号 ${body.request_id}）` : '';
    restoreQuestion(question);
    if (res.status === 401 && page) {
      state.pending = question;
      const form = $('.keyform');
      form.querySelector('.reason').textContent = message ? `服务器：${message}` : '';
      form.hidden = false;
      form.querySelector('input').focus();
      return;
    }
    if (res.status === 401) message = '身份验证失败' + (message ? '：' + message : '。');
    if (res.status === 429) {
      const wait = retryAfterSeconds(res.headers.get('Retry-After'));
      message = (message || '请求过于频繁').replace(/[^。！？.!?]$/, '$&。') + (wait ? `请 ${wait} 秒后再试。` : '请稍后再试。');
    }
    showError((message || `服务暂时不可用（HTTP ${res.status}）。`) + id);
  }

  function retryAfterSeconds(value) {
    if (!value) return null;
    const s = /^\s*\d+\s*$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
    return s > 0 ? s : null;
  }

  function saveKey(e) {
    e.preventDefault();
    const input = $('#key');
    const key = input.value.trim();
    if (!key) return;
    auth.key = key;
    storage('set', key);
    input.value = '';
    $('.keyform').hidden = true;
    $('.notice').hidden = true;
    const q = $('[data-jingnei=question]');
    const pending = state.pending;
    state.pending = '';
    if (pending && q.value.trim() === pending) {
      q.value = '';
      autosize();
      ask(pending);
    }
    q.focus();
  }

  async function readStream(res, turn) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let finished = false;
    let failed = false;
    const parser = sseParser((data) => {
      if (data === '[DONE]') {
        finished = true;
        return;
      }
      let ev;
      try { ev = JSON.parse(data); } catch { return; } // not an event of ours: skip it
      if (ev.error) {
        failed = true;
        showError((typeof ev.error === 'string' ? ev.error : ev.error.message) || '回答中断，请重试。');
      } else if (Array.isArray(ev.sources)) {
        turn.sources(ev.sources);
      } else if (Array.isArray(ev.choices)) {
        const delta = ev.choices[0] && ev.choices[0].delta;
        if (delta && typeof delta.content === 'string' && delta.content) turn.append(delta.content);
      } else if (ev.status) {
        turn.finish(ev);
      }
    });
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
      if (finished || failed) {
        reader.cancel().catch(() => {});
        break;
      }
    }
    parser.push(decoder.decode());
    parser.end();
    if (!finished && !failed) showError('连接中断，回答可能不完整。');
  }

  // Server-sent events: "data:" lines up to a blank line make one event; LF, CR or CRLF end a line, and a line or
  // an event may be split anywhere across network reads (including between the CR and LF of one line end).
  function sseParser(onData) {
    let buffer = '';
    let data = [];
    function line(text) {
      if (text === '') {
        if (data.length) onData(data.join('\n'));
        data = [];
        return;
      }
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      const value = colon < 0 ? '' : text.slice(colon + (text[colon + 1] === ' ' ? 2 : 1));
      if (field === 'data') data.push(value);
    }
    return {
      push(text) {
        buffer += text;
        const eol = /\r\n|\r|\n/g;
        let start = 0;
        let m;
        while ((m = eol.exec(buffer))) {
          if (m[0] === '\r' && m.index === buffer.length - 1) break; // may be the first half of a CRLF
          line(buffer.slice(start, m.index));
          start = eol.lastIndex;
        }
        buffer = buffer.slice(start);
      },
      end() { // a last event without its blank line still counts: the error event may end a stream that way
        if (buffer) line(buffer.replace(/\r$/, ''));
        buffer = '';
        line('');
      },
    };
  }

  window.Jingnei = {
    version: VERSION,
    open: () => (shadow ? open() : (openAtStart = true)),
    close: () => (shadow ? close() : (openAtStart = false)),
  };
  if (document.body) build();
  else document.addEventListener('DOMContentLoaded', build, { once: true });
})();
