// What the browser tests share: Debian's Chromium through playwright-core, and a wasmdev
// server started on port 0 and stopped again.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
// Debian's Chromium, as root, on a machine without internet: no sandbox, and no
// background traffic to Google's hosts (see the shared testing notes).
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const URL_TIMEOUT_MS = 10000;  // for the server's "listening" line

// playwright-core's chromium, or exit 77 (ctest's SKIP_RETURN_CODE) when Chromium or
// playwright-core is not installed, and 1 when the wasmdev binary is missing.
export function chromiumOrSkip(binary) {
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
  return createRequire(join(here, 'package.json'))('playwright-core').chromium;
}

// Starts `wasmdev ARGS... --port 0`; server.ready resolves with its URL, parsed from the
// line it prints once listening. The server is killed if this process exits first.
export function startServer(binary, args) {
  args = [...args, '--port', '0'];
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
  // Never leave the server behind, whatever ends this process (process.exit, Ctrl-C).
  process.on('exit', () => { if (child.exitCode === null) child.kill('SIGTERM'); });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));
  return server;
}

// SIGTERM, then SIGKILL if it is still there after 5 s. Resolves with how it ended.
export function stopServer(server) {
  const { child } = server;
  const ended = () => (child.signalCode ? `killed by ${child.signalCode}` : `exit code ${child.exitCode}`);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(`had already ended: ${ended()}`);
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(kill); resolve(`stopped with SIGTERM: ${ended()}`); });
    child.kill('SIGTERM');
  });
}

// Logs the page's own errors as they happen, to help debugging a failure.
export function logPageProblems(page) {
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('requestfailed', (r) => console.log(`request failed: ${r.url()}: ${r.failure()?.errorText}`));
}

// Serves `root` with `wasmdev ARGS...`, opens `path` in a fresh Chromium page and awaits
// check(page, url, failures); then closes the browser, stops the server and removes root.
// Resolves with the failures (an exception counts as one); prints the server's stderr then.
export async function withServedPage({ chromium, binary, args, root, path, timeoutMs }, check) {
  const server = startServer(binary, args);
  const failures = [];
  let browser = null;
  try {
    const url = await server.ready;
    console.log(`server: ${server.command} -> ${url}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await (await browser.newContext()).newPage();
    logPageProblems(page);
    const response = await page.goto(`${url}${path}`, { timeout: timeoutMs });
    if (!response || !response.ok()) throw new Error(`${url}${path} answered ${response ? response.status() : 'nothing'}`);
    await check(page, url, failures);
  } catch (e) {
    failures.push(e.message);
  } finally {
    if (browser) await browser.close().catch(() => {});
    const ended = await stopServer(server);
    rmSync(root, { recursive: true, force: true });
    if (failures.length) console.log(`server (${ended}) stderr:\n${server.stderr.trimEnd() || '(empty)'}`);
  }
  return failures;
}
