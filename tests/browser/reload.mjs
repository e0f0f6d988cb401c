// Live reload in headless Chromium (docs/design.md#live-reload): a page served with --reload and a
// strict CSP (script-src 'self': the injected client is a same-origin script, not an inline
// one) reloads once when a file it uses changes, not for a file it does not use, once for a
// burst of 200 writes; a page of another origin is refused the event stream even with the
// right token, and a request without the token is refused. Prints the reload latency from
// the last write to the page's new load.
//
//   node tests/browser/reload.mjs --binary build/wasmdev
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium or playwright-core is missing.
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems, startServer, stopServer } from './harness.mjs';

const STEP_TIMEOUT_MS = 60000;  // bounds a hang; every step waits on its event

const argv = process.argv.slice(2);
const binary = argv[argv.indexOf('--binary') + 1];
if (argv.indexOf('--binary') < 0 || !binary) {
  console.error('usage: node reload.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);

// ---- the site: a page using app.js, a file it does not use, and many build outputs ----
const root = mkdtempSync(join(tmpdir(), 'wasmdev-reload-'));
const CSP = "default-src 'self'; script-src 'self'";
writeFileSync(join(root, 'index.html'),
  '<!doctype html>\n<html><head><title>reload</title><script src="app.js"></script></head><body>page</body></html>\n');
writeFileSync(join(root, 'app.js'), 'window.appVersion = 0;\n');
writeFileSync(join(root, 'notes.txt'), 'not used by the page\n');
mkdirSync(join(root, 'out'));
const attacker = mkdtempSync(join(tmpdir(), 'wasmdev-reload-attacker-'));

// ---- helpers -----------------------------------------------------------------------
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(STEP_TIMEOUT_MS, () => req.destroy(new Error(`${url}: no answer`)));
    req.on('error', reject);
  });
}

// The test's own listener on the event stream (no Origin, as curl): every event, in order.
function listen(url) {
  const seen = [];
  const waiters = [];
  const req = http.get(url, (res) => {
    let buf = '';
    res.on('data', (d) => {
      buf += d;
      for (let end; (end = buf.indexOf('\n\n')) >= 0;) {
        const msg = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const data = /^data: (.*)$/m.exec(msg);
        if (!/^event: change$/m.test(msg) || !data) continue;
        seen.push(JSON.parse(data[1]));
        for (const w of waiters.splice(0)) w();
      }
    });
  });
  req.on('error', () => {});
  return {
    seen,
    close: () => req.destroy(),
    // Resolves with the index of the first event from `from` on naming `path` (or saying
    // all); rejects after the deadline.
    waitFor(path, from = 0) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event naming ${path} within ${STEP_TIMEOUT_MS / 1000} s; saw ${JSON.stringify(seen)}`)), STEP_TIMEOUT_MS);
        const check = () => {
          const i = seen.findIndex((c, k) => k >= from && (c.all || c.paths.includes(path)));
          if (i >= 0) { clearTimeout(timer); resolve(i); } else waiters.push(check);
        };
        check();
      });
    },
  };
}

const failures = [];
const expect = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

const server = startServer(binary, ['serve', root, '--reload', '--header', `Content-Security-Policy: ${CSP}`]);
const hostile = startServer(binary, ['serve', attacker]);
let browser = null;
let listener = null;
try {
  const url = await server.ready;
  const otherUrl = await hostile.ready;
  console.log(`server: ${server.command} -> ${url}`);
  const token = /reload\.js\?token=([0-9a-f]+)/.exec((await get(url)).body)?.[1];
  if (!token) throw new Error('the page has no reload.js script with a token');
  listener = listen(`${url}__wasmdev/events?token=${token}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext()).newPage();
  logPageProblems(page);
  const cspViolations = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) cspViolations.push(m.text()); });
  const loads = [];
  page.on('load', () => loads.push(Date.now()));
  const waitLoads = (n) => page.waitForFunction(() => window.__wasmdevReload?.state === 'open', null, { timeout: STEP_TIMEOUT_MS })
    .then(() => { if (loads.length < n) throw new Error(`${loads.length} loads, expected ${n}`); });
  const waitForLoadCount = async (n) => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (loads.length < n) {
      if (Date.now() > deadline) throw new Error(`the page loaded ${loads.length} times, expected ${n}`);
      await page.waitForEvent('load', { timeout: STEP_TIMEOUT_MS }).catch(() => {});
    }
    await waitLoads(n);
  };

  await page.goto(url);
  await waitLoads(1);
  expect(cspViolations.length === 0, `the client runs under a strict CSP (${CSP}) without violations`);

  // A file the page does not use: the page hears the event and stays.
  const eventsBefore = await page.evaluate(() => window.__wasmdevReload.events);
  writeFileSync(join(root, 'notes.txt'), 'changed\n');
  await listener.waitFor('/notes.txt');
  await page.waitForFunction((n) => window.__wasmdevReload.events > n, eventsBefore, { timeout: STEP_TIMEOUT_MS });
  expect(loads.length === 1, 'a change to a file the page does not use does not reload it');

  // A file the page uses: one reload. Latency: from the write to the new page's load event.
  writeFileSync(join(root, 'app.js'), 'window.appVersion = 1;\n');
  const wrote = Date.now();
  await waitForLoadCount(2);
  const latency = loads[1] - wrote;
  expect((await page.evaluate(() => window.appVersion)) === 1, 'after a change to app.js the page reloads and runs the new app.js');
  console.log(`reload latency (last write -> new page's load event): ${latency} ms`);

  // A burst: 200 writes over 20 files (the page uses app.js among them), then a marker.
  // The server debounces by a quiet period (200 ms): on a loaded machine this process can
  // stall that long between two writes, and then the burst is honestly two bursts. The test
  // measures its own gaps: the one-event check holds when no gap reached the quiet period;
  // otherwise it says so and checks that each event reloaded the page at most once.
  const QUIET_MS = 200;
  const burstStart = listener.seen.length;
  const loadsBefore = loads.length;
  let maxGap = 0;
  let prev = Date.now();
  for (let i = 0; i < 200; ++i) {
    const name = i % 20 === 0 ? 'app.js' : `out/part${i % 20}.js`;
    writeFileSync(join(root, name), name === 'app.js' ? `window.appVersion = ${i + 2};\n` : `// ${i}\n`);
    const now = Date.now();
    maxGap = Math.max(maxGap, now - prev);
    prev = now;
  }
  writeFileSync(join(root, 'out/end.js'), '// the burst\'s last write, named by its last event only\n');
  const lastWrite = Date.now();
  maxGap = Math.max(maxGap, lastWrite - prev);
  // The burst's last event is the first one naming its last write: nothing is written after it.
  const lastAt = await listener.waitFor('/out/end.js', burstStart);
  const burstEvents = lastAt - burstStart + 1;
  // Each of its events names scripts beside the page, so each reloads the page once.
  const reloading = burstEvents;
  await waitForLoadCount(loadsBefore + reloading);
  console.log(`reload latency after a 200-write burst (last write -> load): ${loads[loads.length - 1] - lastWrite} ms`);
  if (maxGap < QUIET_MS) {
    expect(burstEvents === 1 && reloading === 1,
           `a burst of 200 writes is one event (${burstEvents}) and one reload (${loads.length - loadsBefore})`);
  } else {
    console.log(`NOTE this process stalled ${maxGap} ms between two writes (loaded machine): the burst was ${burstEvents} ` +
                'events; the one-event check needs a burst without a pause as long as the quiet period');
  }
  writeFileSync(join(root, 'notes.txt'), 'marker\n');
  await listener.waitFor('/notes.txt', lastAt + 1);
  await page.waitForFunction(() => window.__wasmdevReload.events >= 1, null, { timeout: STEP_TIMEOUT_MS });
  expect(loads.length === loadsBefore + reloading, `no reload after the burst's (${loads.length - loadsBefore} for ${reloading})`);

  // A page opened before its build wrote it (a 404) reloads itself once it exists.
  const later = await (await browser.newContext()).newPage();
  const first = await later.goto(`${url}later.html`);
  expect(first.status() === 404, `a page not built yet is a 404 (${first.status()})`);
  await later.waitForFunction(() => window.__wasmdevReload?.state === 'open', null, { timeout: STEP_TIMEOUT_MS });
  writeFileSync(join(root, 'later.html'), '<!doctype html><html><head><title>built</title></head><body>built</body></html>\n');
  await later.waitForFunction(() => document.title === 'built', null, { timeout: STEP_TIMEOUT_MS });
  expect(true, 'the 404 page reloaded into the page once the page was written');

  // Hostile: a page of another origin (the second server) with the right token is refused,
  // and so are requests without the token or with a foreign Origin.
  const attackerPage = await (await browser.newContext()).newPage();
  await attackerPage.goto(otherUrl);
  const outcome = await attackerPage.evaluate(([target, timeoutMs]) => new Promise((resolve) => {
    const es = new EventSource(target);
    es.onopen = () => { es.close(); resolve('open'); };
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) resolve('refused'); };
    setTimeout(() => { es.close(); resolve('timeout'); }, timeoutMs);
  }), [`${url}__wasmdev/events?token=${token}`, STEP_TIMEOUT_MS]);
  expect(outcome === 'refused', `a page of another origin cannot open the event stream, token or not (${outcome})`);
  // The access log is written by a thread of its own: wait for the line, as for any output.
  const refusedLine = /"GET \/__wasmdev\/events\?token=[0-9a-f]+" 403/;
  const logged = await new Promise((resolve) => {
    if (refusedLine.test(server.stdout)) return resolve(true);
    const timer = setTimeout(() => { server.child.stdout.off('data', onData); resolve(false); }, STEP_TIMEOUT_MS);
    const onData = () => { if (refusedLine.test(server.stdout)) { clearTimeout(timer); server.child.stdout.off('data', onData); resolve(true); } };
    server.child.stdout.on('data', onData);
  });
  expect(logged, 'the server answered that page 403');
  const noToken = await get(`${url}__wasmdev/events`);
  expect(noToken.status === 403, `no token: ${noToken.status}`);
  const foreign = await get(`${url}__wasmdev/events?token=${token}`, { Origin: 'http://evil.example' });
  expect(foreign.status === 403, `a foreign Origin with the token: ${foreign.status}`);
  const crossSite = await get(`${url}__wasmdev/events?token=${token}`, { 'Sec-Fetch-Site': 'cross-site' });
  expect(crossSite.status === 403, `Sec-Fetch-Site: cross-site: ${crossSite.status}`);
} catch (e) {
  failures.push(e.message);
} finally {
  listener?.close();
  if (browser) await browser.close().catch(() => {});
  // Open tabs never keep the server from stopping: SIGTERM ends it (the harness kills it after 5 s).
  const stopStart = Date.now();
  const ended = await stopServer(server);
  const stopMs = Date.now() - stopStart;
  await stopServer(hostile);
  rmSync(root, { recursive: true, force: true });
  rmSync(attacker, { recursive: true, force: true });
  console.log(`server ${ended} after ${stopMs} ms`);
  if (!/exit code 0/.test(ended)) failures.push(`the server did not stop cleanly: ${ended}`);
  if (failures.length) console.log(`server stderr:\n${server.stderr.trimEnd() || '(empty)'}`);
}
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS: live reload');
