// Opens wasmdev's self-check page (/__wasmdev/, SPEC 2.9) in headless Chromium.
//
//   node tests/browser/selfcheck.mjs --binary build/wasmdev
//       every check on the page must PASS.
//   node tests/browser/selfcheck.mjs --binary build/wasmdev --coep-off
//       the server runs with `--coep off`: crossOriginIsolated and threads must FAIL while
//       instantiateStreaming still PASSES. This proves the page can fail, and for the
//       right reason (the missing header, not a broken page).
//
// Exit codes: 0 as above, 1 on failure, 2 on bad usage, 77 (ctest's SKIP_RETURN_CODE)
// when Chromium or playwright-core is not installed.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
// Debian's Chromium, as root, on a machine without internet: no sandbox, and no
// background traffic to Google's hosts (see the shared testing notes).
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CHECK_NAMES = ['crossOriginIsolated', 'SharedArrayBuffer', 'instantiateStreaming', 'threads', 'compression'];
const URL_TIMEOUT_MS = 10000;   // for the server's "listening" line
const PAGE_TIMEOUT_MS = 30000;  // for the page to finish every check

// ---- arguments ---------------------------------------------------------------------
const argv = process.argv.slice(2);
const binaryAt = argv.indexOf('--binary');
const binary = binaryAt >= 0 ? argv[binaryAt + 1] : undefined;
const coepOff = argv.includes('--coep-off');
const unknown = argv.filter((a, i) => a !== '--coep-off' && a !== '--binary' && i !== binaryAt + 1);
if (!binary || binary.startsWith('--') || unknown.length) {
  console.error('usage: node selfcheck.mjs --binary PATH/TO/wasmdev [--coep-off]');
  process.exit(2);
}

// ---- prerequisites: skip (77) rather than fail when the tools are not installed -----
const here = dirname(fileURLToPath(import.meta.url));
const playwrightDir = join(here, 'node_modules', 'playwright-core');
for (const [path, what] of [[CHROMIUM, 'Chromium (Debian package chromium)'], [playwrightDir, 'playwright-core (npm, tests/browser/package-lock.json)']]) {
  if (!existsSync(path)) {
    console.log(`SKIP: ${path} is missing: install ${what} with scripts/setup.sh --test`);
    process.exit(77);
  }
}
if (!existsSync(binary)) {
  console.log(`FAIL: no wasmdev binary at ${binary}`);
  process.exit(1);
}
// Resolved from this folder, so its node_modules (checked above) comes first.
const { chromium } = createRequire(join(here, 'package.json'))('playwright-core');

// ---- the server --------------------------------------------------------------------
// Starts `wasmdev serve EMPTY_DIR --port 0` and resolves with its URL, parsed from the line
// it prints once listening. The root is an empty temporary folder: the page must come
// from the binary itself (/__wasmdev/ is served under any root).
function startServer(root) {
  const args = ['serve', root, '--port', '0', ...(coepOff ? ['--coep', 'off'] : [])];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, stdout: '', stderr: '', url: null, command: [binary, ...args].join(' ') };
  child.stderr.on('data', (d) => { server.stderr += d; });
  // Keep reading stdout for the whole run (access log lines): a full pipe would block the server.
  child.stdout.on('data', (d) => { server.stdout += d; });
  server.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line with http://127.0.0.1:PORT/ on stdout within ${URL_TIMEOUT_MS / 1000} s`)), URL_TIMEOUT_MS);
    child.stdout.on('data', () => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(server.stdout);
      if (m && !server.url) { clearTimeout(timer); server.url = m[0]; resolve(m[0]); }
    });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`the server exited (${signal ?? `code ${code}`}) before printing its URL`)); });
  });
  return server;
}

// SIGTERM, then SIGKILL if it is still there after 5 s. Resolves with how it ended.
function stopServer(server) {
  const { child } = server;
  const ended = () => (child.signalCode ? `killed by ${child.signalCode}` : `exit code ${child.exitCode}`);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(`had already ended: ${ended()}`);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(`stopped with SIGTERM: ${ended()}`); });
    child.kill('SIGTERM');
  });
}

// ---- the run -----------------------------------------------------------------------
const mode = coepOff ? 'served with --coep off' : 'served with the default policy';
const root = mkdtempSync(join(tmpdir(), 'wasmdev-selfcheck-'));
const server = startServer(root);
// Never leave the server behind, whatever ends this process (process.exit, Ctrl-C).
process.on('exit', () => { if (server.child.exitCode === null) server.child.kill('SIGTERM'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));

const failures = [];
let browser = null;
try {
  const url = await server.ready;
  console.log(`server: ${server.command} -> ${url}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext()).newPage();
  // Page-side problems, printed as they happen, to help debugging a failure.
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('requestfailed', (r) => console.log(`request failed: ${r.url()}: ${r.failure()?.errorText}`));

  const response = await page.goto(`${url}__wasmdev/`, { timeout: PAGE_TIMEOUT_MS });
  if (!response || !response.ok()) throw new Error(`${url}__wasmdev/ answered ${response ? response.status() : 'nothing'}`);
  try {
    await page.waitForFunction(() => window.__wasmdevSelfCheck && window.__wasmdevSelfCheck.done === true, null,
      { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  } catch (e) {
    // Show how far the page got: the table's rows, as text.
    const rows = await page.$$eval('#checks tr', (trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' '))).catch(() => []);
    throw new Error(`the page did not finish within ${PAGE_TIMEOUT_MS / 1000} s; its table: ${JSON.stringify(rows)}`);
  }
  const { checks } = await page.evaluate(() => window.__wasmdevSelfCheck);
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`);

  const check = (name) => checks.find((c) => c.name === name);
  for (const name of CHECK_NAMES) if (!check(name)) failures.push(`the page has no "${name}" check`);
  if (coepOff) {
    for (const name of ['crossOriginIsolated', 'threads']) {
      if (check(name)?.pass) failures.push(`${name} passed without COEP; it must fail`);
    }
    if (check('instantiateStreaming') && !check('instantiateStreaming').pass) {
      failures.push('instantiateStreaming failed; without COEP it must still pass (only isolation is missing)');
    }
  } else {
    for (const c of checks) if (!c.pass) failures.push(`${c.name} failed`);
  }
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  const ended = await stopServer(server);
  rmSync(root, { recursive: true, force: true });
  if (failures.length) {
    console.log(`server (${ended}) stderr:\n${server.stderr.trimEnd() || '(empty)'}`);
  }
}

if (failures.length) {
  console.log(`FAILED (${mode}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK (${mode}: ${coepOff ? 'isolation and threads fail without COEP, streaming compilation still passes' : 'every check passed'})`);
