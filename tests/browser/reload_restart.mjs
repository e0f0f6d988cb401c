// Pages open across a server restart: the new process has a new token, so the pages' old
// stream is refused (403); the client then reloads each page once it answers, which brings the
// new token, and the new stream opens. A page never connected never retries (no loop). Run
// with one tab, and with three tabs sharing one stream: through the SharedWorker, and through
// a Web Locks leader (SharedWorker removed before the client runs).
//
//   node tests/browser/reload_restart.mjs --binary build/wasmdev
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium or playwright-core is missing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems, stopServer } from './harness.mjs';

const STEP_TIMEOUT_MS = 60000;  // bounds a hang; every step waits on its event
const argv = process.argv.slice(2);
const binary = argv[argv.indexOf('--binary') + 1];
if (argv.indexOf('--binary') < 0 || !binary) {
  console.error('usage: node reload_restart.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);
const root = mkdtempSync(join(tmpdir(), 'wasmdev-reload-restart-'));
writeFileSync(join(root, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>\n');

// `wasmdev serve ROOT --reload --port PORT`, resolved once it prints its URL.
function serve(port) {
  const child = spawn(binary, ['serve', root, '--reload', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, stdout: '', stderr: '' };
  child.stderr.on('data', (d) => { server.stderr += d; });
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  server.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      server.stdout += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(server.stdout);
      if (m && !server.url) { clearTimeout(timer); server.url = m[0]; server.port = Number(m[1]); resolve(m[0]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}) before its URL: ${server.stderr}`)); });
  });
  return server;
}

const failures = [];
let browser = null;

// `tabs` pages of one server, the server restarted on its port: each page reloads once.
async function restartWith(name, tabs, initScript) {
  const first = serve(0);
  let second = null;
  let context = null;
  try {
    const url = await first.ready;
    context = await browser.newContext();
    if (initScript) await context.addInitScript(initScript);
    const pages = [];
    for (let i = 0; i < tabs; ++i) {
      const page = await context.newPage();
      logPageProblems(page);
      page.loads = 0;
      page.on('load', () => { page.loads += 1; });
      await page.goto(url);
      await page.waitForFunction(() => window.__wasmdevReload?.state === 'open', null, { timeout: STEP_TIMEOUT_MS });
      pages.push(page);
    }
    const oldScript = await pages[0].evaluate(() => document.querySelector('script[src*="reload.js"]').src);

    await stopServer(first);
    second = serve(first.port);  // the same origin, a new process and token
    await second.ready;
    await Promise.all(pages.map((page) => page.waitForFunction((old) => {
      const s = document.querySelector('script[src*="reload.js"]');
      return s && s.src !== old && window.__wasmdevReload?.state === 'open';
    }, oldScript, { timeout: STEP_TIMEOUT_MS })));
    const reloads = pages.map((page) => page.loads - 1);
    console.log(`${reloads.every((n) => n === 1) ? 'PASS' : 'FAIL'} ${name}: each page reloaded itself after the restart (${reloads.join(', ')} reloads) and its new stream is open`);
    if (!reloads.every((n) => n === 1)) failures.push(`${name}: ${reloads.join(', ')} reloads after one restart, want 1 each`);
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  } finally {
    if (context) await context.close().catch(() => {});
    await stopServer(first);
    if (second) await stopServer(second);
  }
}

try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  await restartWith('one tab', 1);
  await restartWith('three tabs, one SharedWorker', 3);
  await restartWith('three tabs, a Web Locks leader', 3, () => { delete window.SharedWorker; });
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS: pages survive a server restart');
