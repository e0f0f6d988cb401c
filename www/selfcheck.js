// The wasmdev self-check (SPEC §2.9): each check ends as PASS or FAIL with a reason, and
// none can hang (each has a deadline). Results are also published for automation as
// window.__wasmdevSelfCheck = {done, checks: [{name, pass, reason}]}.
'use strict';
(() => {
  const checks = [];
  const rows = document.getElementById('checks');
  const TIMES = 200000;  // additions per thread: enough that a non-atomic race would show

  function report(name, pass, reason) {
    checks.push({ name, pass, reason });
    const tr = document.createElement('tr');
    tr.className = pass ? 'pass' : 'fail';
    for (const [cls, text] of [['verdict', pass ? 'PASS' : 'FAIL'], ['name', name], ['reason', reason]]) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      tr.appendChild(td);
    }
    rows.appendChild(tr);
  }

  function withTimeout(promise, ms, what) {
    return Promise.race([
      promise,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)),
    ]);
  }

  function checkIsolation() {
    report('crossOriginIsolated', self.crossOriginIsolated === true,
      self.crossOriginIsolated
        ? 'the page is cross-origin isolated (COOP same-origin + COEP)'
        : 'not isolated: the server must send Cross-Origin-Opener-Policy: same-origin and ' +
          'Cross-Origin-Embedder-Policy: require-corp (or credentialless), on http://localhost or https');
    const hasSab = typeof SharedArrayBuffer === 'function';
    report('SharedArrayBuffer', hasSab,
      hasSab ? 'SharedArrayBuffer is available' : 'SharedArrayBuffer is not defined: the page is not cross-origin isolated');
  }

  async function checkStreaming() {
    let contentType = '(no response)';
    try {
      const response = fetch('selfcheck.wasm').then((r) => { contentType = r.headers.get('Content-Type'); return r; });
      const { instance } = await withTimeout(WebAssembly.instantiateStreaming(response), 10000, 'instantiateStreaming');
      const ok = instance.exports.answer() === 42;
      report('instantiateStreaming', ok, ok
        ? `selfcheck.wasm compiled while downloading (Content-Type: ${contentType})`
        : 'the module ran but returned a wrong value');
    } catch (e) {
      report('instantiateStreaming', false,
        `failed with Content-Type "${contentType}" (must be exactly application/wasm): ${e.message}`);
    }
  }

  async function checkThreads() {
    const name = 'threads (shared memory with a worker)';
    let worker = null;
    try {
      if (typeof SharedArrayBuffer !== 'function') throw new Error('SharedArrayBuffer is not defined, so no shared memory');
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      const { module, instance } = await withTimeout(
        WebAssembly.instantiateStreaming(fetch('threads.wasm'), { env: { memory } }), 10000, 'threads.wasm');
      worker = new Worker('worker.js');
      const next = () => withTimeout(new Promise((resolve, reject) => {
        worker.onmessage = (e) => (e.data.type === 'error' ? reject(new Error(e.data.message)) : resolve(e.data));
        worker.onerror = (e) => reject(new Error(`the worker failed to start or crashed: ${e.message || 'blocked (is worker.js sent with COEP?)'}`));
      }), 10000, 'the worker');
      const ready = next();
      worker.postMessage({ type: 'init', module, memory });
      await ready;
      const done = next();
      worker.postMessage({ type: 'go', times: TIMES });
      instance.exports.add(TIMES);
      await done;
      const total = instance.exports.get();
      const ok = total === 2 * TIMES;
      report(name, ok, ok
        ? `the page and a worker each added ${TIMES} atomically to one shared counter: ${total}`
        : `the shared counter is ${total}, expected ${2 * TIMES}`);
    } catch (e) {
      report(name, false, e.message);
    } finally {
      if (worker) worker.terminate();
    }
  }

  function checkCompression() {
    const entries = performance.getEntriesByType('resource').filter((e) => /selfcheck\.wasm$/.test(e.name));
    const e = entries[entries.length - 1];
    if (!e) {
      report('compression', false, 'selfcheck.wasm was not fetched, so compression could not be observed');
      return;
    }
    const compressed = e.encodedBodySize > 0 && e.encodedBodySize < e.decodedBodySize;
    report('compression', compressed, compressed
      ? `selfcheck.wasm: ${e.encodedBodySize} bytes on the wire for ${e.decodedBodySize} bytes of module`
      : `selfcheck.wasm came uncompressed (${e.encodedBodySize} of ${e.decodedBodySize} bytes): the server should gzip, deflate, br or zstd wasm`);
  }

  async function main() {
    checkIsolation();
    await checkStreaming();
    await checkThreads();
    checkCompression();
    const failed = checks.filter((c) => !c.pass).length;
    document.getElementById('summary').textContent = failed === 0
      ? 'Every check passed: this server is ready for WebAssembly builds with threads.'
      : `${failed} of ${checks.length} checks failed; see the reasons above.`;
    window.__wasmdevSelfCheck = { done: true, checks };
    document.body.dataset.done = '1';
  }

  main().catch((e) => {
    report('self-check', false, `the self-check itself failed: ${e.message}`);
    window.__wasmdevSelfCheck = { done: true, checks };
    document.body.dataset.done = '1';
  });
})();
