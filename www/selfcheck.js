// The wasmdev self-check (docs/design.md#self-check): checks, in this browser, what a WebAssembly build
// needs from the server that hosts it. Every check ends as PASS or FAIL with a one-line
// reason, and none can hang (each waits with a deadline). The results are published for
// automation (tests/browser/selfcheck.mjs) once every check has finished:
//   window.__wasmdevSelfCheck = {done: true, checks: [{name, pass, reason}]}
//   document.body.dataset.done = "1"
// This page is served both at /__wasmdev/ and as a site root, so every URL is relative.
'use strict';
(() => {
  // Additions per thread: large enough that the page and the worker overlap, and that a
  // non-atomic or non-shared counter would visibly come out wrong.
  const TIMES = 1000000;
  const WASM_URL = 'selfcheck.wasm';

  // name (stable, used by automation) -> what the check means to a reader.
  const CHECKS = [
    ['crossOriginIsolated', 'the page is cross-origin isolated (COOP + COEP)'],
    ['SharedArrayBuffer', 'SharedArrayBuffer is available'],
    ['instantiateStreaming', `${WASM_URL} compiles while it downloads`],
    ['threads', 'the page and a worker share one wasm memory'],
    ['compression', `${WASM_URL} travels compressed`],
  ];

  const results = [];
  const cells = new Map();  // name -> {tr, verdict, reason}

  // One table row per check, shown as "…" until its result arrives.
  function drawRows() {
    const tbody = document.getElementById('checks');
    for (const [name, label] of CHECKS) {
      const tr = document.createElement('tr');
      tr.className = 'wait';
      const [verdict, check, reason] = ['td', 'td', 'td'].map(() => document.createElement('td'));
      verdict.className = 'verdict';
      verdict.textContent = '…';
      check.innerHTML = '<code></code><br><span class="label"></span>';
      check.querySelector('code').textContent = name;
      check.querySelector('.label').textContent = label;
      reason.textContent = 'running';
      tr.append(verdict, check, reason);
      tbody.appendChild(tr);
      cells.set(name, { tr, verdict, reason });
    }
  }

  function report(name, pass, reason) {
    results.push({ name, pass, reason });
    const c = cells.get(name);
    if (!c) return;
    c.tr.className = pass ? 'pass' : 'fail';
    c.verdict.textContent = pass ? 'PASS' : 'FAIL';
    c.reason.textContent = reason;
  }

  // Rejects with "<what> timed out" unless `promise` settles within `ms`.
  function deadline(promise, ms, what) {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms); }),
    ]).finally(() => clearTimeout(timer));
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const message = (e) => (e && e.message) || String(e);

  function checkIsolation() {
    if (self.crossOriginIsolated === true) {
      report('crossOriginIsolated', true, 'cross-origin isolated: the server sends COOP same-origin and COEP');
    } else if (!self.isSecureContext) {
      // Chromium ignores COOP on plain http other than localhost/127.0.0.1.
      report('crossOriginIsolated', false,
        `not isolated, and ${location.origin} is not a secure context: browsers only isolate ` +
        'https or http://localhost / http://127.0.0.1 pages');
    } else {
      report('crossOriginIsolated', false,
        'not isolated: the server must send Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp (or credentialless) on the page');
    }
    const hasSab = typeof SharedArrayBuffer === 'function';
    report('SharedArrayBuffer', hasSab, hasSab
      ? 'SharedArrayBuffer is defined (needed by pthreads builds)'
      : 'SharedArrayBuffer is not defined: browsers only provide it to cross-origin isolated pages');
  }

  // Compiles selfcheck.wasm with the streaming API, which refuses any Content-Type but
  // exactly application/wasm. Returns {module, instance, memory} for the threads check, or
  // null when it failed.
  async function checkStreaming() {
    let contentType = null;
    // no-store: always a full 200 from the server, never a cache hit or a 304, so the
    // Content-Type and the compression sizes seen below are the server's, each time.
    const response = fetch(WASM_URL, { cache: 'no-store' }).then((r) => {
      contentType = r.headers.get('Content-Type');
      if (!r.ok) throw new Error(`HTTP ${r.status} for ${WASM_URL}`);
      return r;
    });
    // The module imports a shared memory. Some browsers refuse to create one on a page
    // that is not isolated; then only compile it, which still tests the MIME type (the
    // threads check reports the isolation problem).
    let memory = null;
    try { memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }); } catch { /* see above */ }
    try {
      const seen = () => `Content-Type: ${contentType ?? '(none)'}`;
      if (memory) {
        const { module, instance } = await deadline(
          WebAssembly.instantiateStreaming(response, { env: { memory } }), 10000, 'instantiateStreaming');
        const answer = instance.exports.answer();
        if (answer !== 42) throw new Error(`the module ran but answer() returned ${answer}, not 42`);
        report('instantiateStreaming', true, `${WASM_URL} compiled while downloading and ran (${seen()})`);
        return { module, instance, memory };
      }
      const module = await deadline(WebAssembly.compileStreaming(response), 10000, 'compileStreaming');
      report('instantiateStreaming', true,
        `${WASM_URL} compiled while downloading (${seen()}); not instantiated: this browser gives no shared memory here`);
      return { module, instance: null, memory: null };
    } catch (e) {
      const hint = contentType === 'application/wasm' ? '' : ' (it must be exactly application/wasm, no parameters)';
      report('instantiateStreaming', false, `Content-Type seen: ${contentType ?? '(no response)'}${hint}: ${message(e)}`);
      return null;
    }
  }

  // The page and a worker each add TIMES to one counter in the shared wasm memory; the
  // total is 2 * TIMES only if both really work on the same memory. That needs
  // SharedArrayBuffer, a shared memory that can be posted to a worker (isolation), and a
  // worker script the browser agrees to start under COEP (so worker.js needs COEP too).
  async function checkThreads(wasm) {
    if (!wasm) {
      report('threads', false, `not tried: ${WASM_URL} did not compile (see instantiateStreaming)`);
      return;
    }
    let worker = null;
    try {
      if (!wasm.instance) throw new Error('this browser would not create a shared memory: the page is not cross-origin isolated');
      worker = new Worker('worker.js');
      // Resolves with the worker's next message; rejects on its error reports, on a
      // worker that fails to load, and after a deadline.
      const reply = (what) => deadline(new Promise((resolve, reject) => {
        worker.onmessage = (e) => (e.data.type === 'error' ? reject(new Error(`worker: ${e.data.message}`)) : resolve(e.data));
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(`worker.js failed to load or run (${e.message || 'blocked'}); under COEP it must be served with COEP too`));
        };
      }), 10000, what);
      const ready = reply('the worker start');
      try {
        worker.postMessage({ type: 'init', module: wasm.module, memory: wasm.memory });
      } catch (e) {
        // DataCloneError: a page that is not cross-origin isolated cannot share memory.
        throw new Error(`the page cannot send its shared memory to a worker: ${message(e)}`);
      }
      await ready;
      const done = reply('the worker count');
      worker.postMessage({ type: 'add', times: TIMES });
      wasm.instance.exports.add(TIMES);  // runs while the worker adds
      await done;
      const total = wasm.instance.exports.get();
      report('threads', total === 2 * TIMES, total === 2 * TIMES
        ? `the page and a worker each added ${TIMES} atomically to one shared counter: ${total}`
        : `the shared counter is ${total}, expected ${2 * TIMES}: the worker does not share the page's memory`);
    } catch (e) {
      report('threads', false, message(e));
    } finally {
      if (worker) worker.terminate();
    }
  }

  // Resource Timing tells both sizes of a response: encodedBodySize (on the wire, after
  // Content-Encoding) and decodedBodySize; the only reliable way, since fetch() does not
  // expose Content-Encoding.
  async function checkCompression() {
    const find = (file) => performance.getEntriesByType('resource').filter((e) => e.name.endsWith(`/${file}`)).pop();
    let entry = null;
    // The entry is added when the body has fully arrived, which can trail the compile a bit.
    for (let waited = 0; waited <= 2000 && !(entry = find(WASM_URL)); waited += 100) await sleep(100);
    const file = entry ? WASM_URL : 'selfcheck.js';
    entry = entry || find(file);
    if (!entry) {
      report('compression', false, `no Resource Timing entry for ${WASM_URL} or selfcheck.js, so compression could not be measured`);
      return;
    }
    const { encodedBodySize: wire, decodedBodySize: body } = entry;
    const pass = wire > 0 && wire < body;
    report('compression', pass, pass
      ? `${file}: ${wire} bytes on the wire for ${body} bytes (${Math.round((100 * wire) / body)}%)`
      : `${file} came uncompressed (${wire} bytes on the wire for ${body}): the server should gzip, deflate, br or zstd wasm and JavaScript`);
  }

  function finish() {
    const failed = results.filter((c) => !c.pass).length;
    document.getElementById('summary').textContent = failed === 0
      ? 'Every check passed: this server is ready for WebAssembly builds, threads included.'
      : `${failed} of ${results.length} checks failed; see the reasons above.`;
    window.__wasmdevSelfCheck = { done: true, checks: results };
    document.body.dataset.done = '1';
  }

  async function main() {
    drawRows();
    checkIsolation();
    const wasm = await checkStreaming();
    await checkThreads(wasm);
    await checkCompression();
  }

  main()
    .catch((e) => {
      // A bug in the page itself: fail every check still pending rather than hang.
      for (const [name] of CHECKS) {
        if (!results.some((c) => c.name === name)) report(name, false, `the self-check itself failed: ${message(e)}`);
      }
    })
    .finally(finish);
})();
