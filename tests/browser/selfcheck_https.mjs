// The self-check page (/__wasmdev/) in headless Chromium on a NON-loopback address, the way a
// phone on the LAN sees the server (docs/design.md#https). Run inside the network namespace that
// selfcheck_https_netns.sh makes (10.77.0.1 on an interface of its own, never a real network).
//
//   node selfcheck_https.mjs --binary WASMDEV --bind 10.77.0.1 --spki HASH
//       `serve --tls`: every check must PASS; Chromium accepts wasmdev's CA by its SPKI hash
//       (--ignore-certificate-errors-spki-list), as a phone that trusts the CA would.
//   node selfcheck_https.mjs --binary WASMDEV --bind 10.77.0.1 --plain
//       plain HTTP on the same address: not a secure context, so crossOriginIsolated and
//       threads must FAIL. This is why --tls exists, and proves the page can fail here.
//
// XDG_CACHE_HOME must point at the CA the SPKI hash was computed from. Exit codes: 0 as above,
// 1 on failure, 2 on bad usage, 77 when Chromium or playwright-core is not installed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems, stopServer } from './harness.mjs';

const PAGE_TIMEOUT_MS = 30000;
const URL_TIMEOUT_MS = 20000;

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const binary = opt('--binary');
const bind = opt('--bind');
const spki = opt('--spki');
const plain = argv.includes('--plain');
if (!binary || !bind || (!plain && !spki)) {
  console.error('usage: node selfcheck_https.mjs --binary WASMDEV --bind ADDRESS (--spki HASH | --plain)');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);

// `wasmdev serve ROOT [--tls] --bind ADDRESS --port 0`, resolved with the URL it prints.
function startServer(args) {
  const child = spawn(binary, [...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, stdout: '', stderr: '', command: [binary, ...args].join(' ') };
  child.stderr.on('data', (d) => { server.stderr += d; });
  const scheme = plain ? 'http' : 'https';
  const pattern = new RegExp(`${scheme}://${bind.replaceAll('.', '\\.')}:\\d+/`);
  server.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${scheme}://${bind}:PORT/ line within ${URL_TIMEOUT_MS / 1000} s`)), URL_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      server.stdout += d;
      const m = pattern.exec(server.stdout);
      if (m && !server.url) { clearTimeout(timer); server.url = m[0]; resolve(m[0]); }
    });
    child.on('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`the server exited (${signal ?? `code ${code}`}) before printing its URL`)); });
  });
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGTERM'); });
  return server;
}

const root = mkdtempSync(join(tmpdir(), 'wasmdev-https-'));
const server = startServer(['serve', root, '--bind', bind, ...(plain ? [] : ['--tls'])]);
const failures = [];
let browser = null;
try {
  const url = await server.ready;
  console.log(`server: ${server.command} -> ${url}`);
  const args = [...CHROMIUM_ARGS, ...(plain ? [] : [`--ignore-certificate-errors-spki-list=${spki}`])];
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  const page = await (await browser.newContext()).newPage();
  logPageProblems(page);
  const response = await page.goto(`${url}__wasmdev/`, { timeout: PAGE_TIMEOUT_MS });
  if (!response || !response.ok()) throw new Error(`${url}__wasmdev/ answered ${response ? response.status() : 'nothing'}`);
  if (!plain) {
    const security = await response.securityDetails();
    console.log(`TLS: ${security?.protocol} certificate issued by "${security?.issuer}"`);
    if (!security) failures.push('the page was not loaded over TLS');
  }
  await page.waitForFunction(() => window.__wasmdevSelfCheck && window.__wasmdevSelfCheck.done === true, null,
    { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  const { checks } = await page.evaluate(() => window.__wasmdevSelfCheck);
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`);
  const secure = await page.evaluate(() => window.isSecureContext);
  const check = (name) => checks.find((c) => c.name === name);
  if (plain) {
    if (secure) failures.push(`http://${bind} is a secure context; the test's address must not be loopback`);
    for (const name of ['crossOriginIsolated', 'threads']) if (!check(name) || check(name).pass) failures.push(`${name} did not fail over plain HTTP on ${bind}`);
  } else {
    if (!secure) failures.push('the https page is not a secure context');
    if (checks.length < 5) failures.push(`only ${checks.length} checks ran`);
    for (const c of checks) if (!c.pass) failures.push(`${c.name} failed`);
  }
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  const ended = await stopServer(server);
  rmSync(root, { recursive: true, force: true });
  if (failures.length) console.log(`server (${ended}) stdout:\n${server.stdout}\nstderr:\n${server.stderr.trimEnd() || '(empty)'}`);
}
const mode = plain ? `plain HTTP on ${bind}` : `HTTPS on ${bind}`;
if (failures.length) {
  console.log(`FAILED (${mode}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK (${mode}: ${plain ? 'isolation and threads fail, as they do for a phone without TLS' : 'every check passed'})`);
