// Live reload with many tabs of one server in one browser (docs/reload.md, "Many tabs"):
// Chromium keeps at most six HTTP/1.1 connections per host, so the tabs must share one event
// stream. Ten tabs all load; the server holds one stream for them; one change reloads all ten
// exactly once; closing the tab that started the shared stream (SharedWorker) or holds it
// (Web Locks leader, SharedWorker removed before the client runs) still lets the next change
// reload the others; an eleventh tab loads; closing every tab ends the stream; a page whose
// CSP forbids workers shares through Web Locks; every stream request Chromium sent says
// Sec-Fetch-Site: same-origin. Prints the change -> reload latency of the ten tabs. Pages are
// served with a strict CSP (script-src 'self') and the default COOP/COEP.
//
//   node tests/browser/reload_tabs.mjs --binary build/wasmdev
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium or playwright-core is missing.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems, startServer, stopServer } from './harness.mjs';

const STEP_TIMEOUT_MS = 60000;  // bounds a hang; every step waits on its event
const TABS = 10;                // more than Chromium's six connections per host

const argv = process.argv.slice(2);
const binary = argv[argv.indexOf('--binary') + 1];
if (argv.indexOf('--binary') < 0 || !binary) {
  console.error('usage: node reload_tabs.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);

const root = mkdtempSync(join(tmpdir(), 'wasmdev-reload-tabs-'));
const CSP = "default-src 'self'; script-src 'self'";
writeFileSync(join(root, 'index.html'),
  '<!doctype html>\n<html><head><title>tabs</title><script src="app.js"></script></head><body>page</body></html>\n');
writeFileSync(join(root, 'app.js'), 'window.appVersion = 0;\n');
writeFileSync(join(root, 'notes.txt'), 'not used by the page\n');
// Chromium's own record of the headers it sent (outside the watched tree).
const netlogDir = mkdtempSync(join(tmpdir(), 'wasmdev-reload-tabs-netlog-'));
const netlog = join(netlogDir, 'netlog.json');

const failures = [];
const expect = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

function getJson(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => { try { resolve(JSON.parse(body)); } catch (e) { reject(e); } });
    });
    req.setTimeout(STEP_TIMEOUT_MS, () => req.destroy(new Error(`${url}: no answer`)));
    req.on('error', reject);
  });
}

// The server's count of open event streams, asked until it is `n` (bounded). The count is
// the server's own event; a stream ends a moment after its tab closes, so it is asked again.
async function waitForStreams(url, n) {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  let seen;
  for (;;) {
    seen = (await getJson(`${url}__wasmdev/stats.json`)).reload.event_streams;
    if (seen === n) return seen;
    if (Date.now() > deadline) throw new Error(`the server holds ${seen} event streams, expected ${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A tab: a page with its loads counted.
async function openTab(context, url, label) {
  const page = await context.newPage();
  logPageProblems(page);
  const tab = { page, label, loads: [], navigations: 0 };
  page.on('load', () => tab.loads.push(Date.now()));
  // A reload asked for twice is one load but two navigation requests (the first is aborted).
  page.on('request', (r) => { if (r.isNavigationRequest() && r.frame() === page.mainFrame()) tab.navigations += 1; });
  const started = Date.now();
  try {
    await page.goto(url, { timeout: STEP_TIMEOUT_MS });
    await page.waitForFunction(() => window.__wasmdevReload?.state === 'open', null, { timeout: STEP_TIMEOUT_MS });
  } catch (e) {
    throw new Error(`${label} did not load with its reload client open within ${STEP_TIMEOUT_MS / 1000} s: ${e.message.split('\n')[0]}`);
  }
  tab.openMs = Date.now() - started;
  return tab;
}

const stateOf = (tab) => tab.page.evaluate(() => ({ ...window.__wasmdevReload, isolated: self.crossOriginIsolated }));

// Every tab has loaded `n` times, runs app.js version `version` and its client is open again.
async function waitForLoads(tabs, n, version) {
  await Promise.all(tabs.map(async (tab) => {
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (tab.loads.length < n) {
      if (Date.now() > deadline) throw new Error(`${tab.label} loaded ${tab.loads.length} times, expected ${n}`);
      await tab.page.waitForEvent('load', { timeout: STEP_TIMEOUT_MS }).catch(() => {});
    }
    await tab.page.waitForFunction((v) => window.appVersion === v && window.__wasmdevReload?.state === 'open', version, { timeout: STEP_TIMEOUT_MS });
  }));
}

// One change of app.js reloads every tab exactly once: after the reloads, a change of a file
// no page uses reaches every tab (the stream delivers in order), and no tab loaded again.
let version = 0;
async function changeReloadsEachOnce(tabs, what) {
  const before = tabs.map((t) => t.loads.length);
  const navigationsBefore = tabs.map((t) => t.navigations);
  version += 1;
  writeFileSync(join(root, 'app.js'), `window.appVersion = ${version};\n`);
  const wrote = Date.now();
  await waitForLoads(tabs, before[0] + 1, version);
  const reloaded = tabs.map((t) => t.loads[t.loads.length - 1]);
  writeFileSync(join(root, 'notes.txt'), `marker ${version}\n`);
  await Promise.all(tabs.map((t) => t.page.waitForFunction(() => window.__wasmdevReload.events >= 1, null, { timeout: STEP_TIMEOUT_MS })));
  const extra = tabs.map((t, i) => [t, t.loads.length - before[i], t.navigations - navigationsBefore[i]])
    .filter(([, loads, navigations]) => loads !== 1 || navigations !== 1)
    .map(([t, loads, navigations]) => `${t.label}: ${loads} loads, ${navigations} navigations`);
  expect(extra.length === 0, `${what}: one change of app.js reloads each of the ${tabs.length} tabs exactly once${extra.length ? ` (${extra.join(', ')})` : ''}`);
  console.log(`  latency, last write -> the first / the last of ${tabs.length} tabs' new load event: ${Math.min(...reloaded) - wrote} / ${Math.max(...reloaded) - wrote} ms`);
}

// The request lines and headers Chromium sent for /__wasmdev/events, from its net log.
function eventRequestsIn(path) {
  const log = JSON.parse(readFileSync(path, 'utf8'));
  const sendHeaders = log.constants.logEventTypes.HTTP_TRANSACTION_SEND_REQUEST_HEADERS;
  return log.events.filter((e) => e.type === sendHeaders && /^GET \/__wasmdev\/events\?/.test(e.params?.line ?? ''))
    .map((e) => Object.fromEntries(e.params.headers.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()])));
}

// Ten tabs, one change, the holder closed, another change, an eleventh tab, all closed.
// `holder` picks the tab whose closing hands the stream over; `via` names the client's paths.
async function scenario(browser, url, { name, initScript, holder, via }) {
  console.log(`--- ${name}`);
  const context = await browser.newContext();
  if (initScript) await context.addInitScript(initScript);
  try {
    const tabs = [];
    for (let i = 1; i <= TABS; ++i) tabs.push(await openTab(context, url, `tab ${i}`));
    expect(true, `${name}: ${TABS} tabs of one server all load (opened in ${tabs.map((t) => t.openMs).join(', ')} ms)`);
    const states = await Promise.all(tabs.map(stateOf));
    const vias = states.map((s) => s.via);
    expect(via(vias), `${name}: the tabs' clients listen as ${vias.join(', ')}`);
    expect(states.every((s) => s.isolated), `${name}: the tabs stay cross-origin isolated (COOP/COEP) with the shared stream`);
    await waitForStreams(url, 1);
    expect(true, `${name}: the server holds one event stream for the ${TABS} tabs`);

    await changeReloadsEachOnce(tabs, name);

    const gone = await holder(tabs);
    await gone.page.close();
    const rest = tabs.filter((t) => t !== gone);
    if (name.includes('Web Locks')) {
      // Another tab takes the lock and opens the stream.
      await Promise.any(rest.map((t) => t.page.waitForFunction(() => window.__wasmdevReload?.via === 'leader', null, { timeout: STEP_TIMEOUT_MS })));
      console.log(`  after ${gone.label} closed: ${(await Promise.all(rest.map(stateOf))).map((s) => s.via).join(', ')}`);
    }
    await changeReloadsEachOnce(rest, `${name}, after closing ${gone.label} (it held the stream)`);
    await waitForStreams(url, 1);

    const eleventh = await openTab(context, url, `tab ${TABS + 1}`);
    expect(true, `${name}: an eleventh tab loads with ${rest.length} others open (in ${eleventh.openMs} ms; the first tab took ${tabs[0].openMs} ms)`);
    await waitForStreams(url, 1);
  } finally {
    await context.close().catch(() => {});
  }
  await waitForStreams(url, 0);
  expect(true, `${name}: once every tab is closed the server holds no event stream`);
  // A tab that heard "the stream is gone for good" asks the page with HEAD until it answers;
  // the server never restarted here, so no tab may have.
  const heads = server.stdout.split('\n').filter((l) => /"HEAD \//.test(l));
  expect(heads.length === 0, `${name}: no tab took the server for restarted (${heads.length} HEAD requests)`);
}

const server = startServer(binary, ['serve', root, '--reload', '--header', `Content-Security-Policy: ${CSP}`]);
let browser = null;
try {
  const url = await server.ready;
  console.log(`server: ${server.command} -> ${url}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, `--log-net-log=${netlog}`] });

  await scenario(browser, url, {
    name: 'SharedWorker',
    holder: (tabs) => tabs[0],  // its page started the worker
    via: (vias) => vias.every((v) => v === 'shared-worker'),
  });
  await scenario(browser, url, {
    name: 'Web Locks without SharedWorker',
    initScript: () => { delete window.SharedWorker; },
    holder: async (tabs) => {
      const states = await Promise.all(tabs.map(stateOf));
      return tabs[states.findIndex((s) => s.via === 'leader')];
    },
    via: (vias) => vias.filter((v) => v === 'leader').length === 1 && vias.filter((v) => v === 'follower').length === TABS - 1,
  });

  // A CSP that forbids workers: the SharedWorker fails to load and the tabs share through a
  // Web Locks leader instead (a second server, whose pages carry that CSP).
  const strict = startServer(binary, ['serve', root, '--reload', '--header', "Content-Security-Policy: default-src 'self'; worker-src 'none'"]);
  try {
    const strictUrl = await strict.ready;
    const context = await browser.newContext();
    const two = [await openTab(context, strictUrl, 'worker-src none, tab 1'), await openTab(context, strictUrl, 'worker-src none, tab 2')];
    const vias = (await Promise.all(two.map(stateOf))).map((s) => s.via);
    expect(vias.join() === 'leader,follower', `under a CSP with worker-src 'none' the tabs share a Web Locks leader's stream (${vias.join(', ')})`);
    await waitForStreams(strictUrl, 1);
    await context.close();
  } finally {
    await stopServer(strict);
  }

  // The server's checks hold for the shared stream: the worker's EventSource is a same-origin
  // request (the server refuses same-site and cross-site ones; tests/browser/reload.mjs).
  await browser.close();
  browser = null;
  const requests = eventRequestsIn(netlog);
  const fromWorker = requests.filter((h) => /\/__wasmdev\/reload-worker\.js\?/.test(h.referer ?? ''));
  const sites = [...new Set(requests.map((h) => h['sec-fetch-site']))];
  console.log(`  Chromium opened ${requests.length} event streams for the whole test (${fromWorker.length} from the SharedWorker); Origin sent on ${requests.filter((h) => 'origin' in h).length}`);
  expect(fromWorker.length >= 1 && sites.length === 1 && sites[0] === 'same-origin',
    `every event stream request, the SharedWorker's too, says Sec-Fetch-Site: same-origin (${sites.join(', ')})`);
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  const ended = await stopServer(server);
  rmSync(root, { recursive: true, force: true });
  rmSync(netlogDir, { recursive: true, force: true });
  if (!/exit code 0/.test(ended)) failures.push(`the server did not stop cleanly: ${ended}`);
  if (failures.length) console.log(`server (${ended}) stderr:\n${server.stderr.trimEnd() || '(empty)'}`);
}
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS: live reload with many tabs');
