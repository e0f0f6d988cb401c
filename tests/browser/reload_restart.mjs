// A page open across a server restart (#14): the new process has a new token, so the page's
// old stream is refused (403); the client then reloads the page once it answers, which brings
// the new token, and the new stream opens. A page never connected never retries (no loop).
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
let first = serve(0);
let second = null;
try {
  const url = await first.ready;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext()).newPage();
  logPageProblems(page);
  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(url);
  await page.waitForFunction(() => window.__wasmdevReload?.state === 'open', null, { timeout: STEP_TIMEOUT_MS });
  const oldScript = await page.evaluate(() => document.querySelector('script[src*="reload.js"]').src);

  await stopServer(first);
  second = serve(first.port);  // the same origin, a new process and token
  await second.ready;
  await page.waitForFunction((old) => {
    const s = document.querySelector('script[src*="reload.js"]');
    return s && s.src !== old && window.__wasmdevReload?.state === 'open';
  }, oldScript, { timeout: STEP_TIMEOUT_MS });
  console.log(`PASS the page reloaded itself after the restart (${loads - 1} reload) and its new stream is open`);
  if (loads !== 2) failures.push(`${loads - 1} reloads after one restart, want 1`);
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(first);
  if (second) await stopServer(second);
  rmSync(root, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS: a page survives a server restart');
