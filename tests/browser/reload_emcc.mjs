// Live reload through real rebuilds of a real wasm page: Debian's emscripten builds
// hello.c into out/hello.js + out/hello.wasm; the page (served with --reload) runs it and shows
// what main() printed. A rebuild whose output goes through `tee wasmdev-build.log` (the way
// any build tells wasmdev it is running, docs/reload.md) reloads the page exactly once, with
// the new wasm, however long emcc pauses between its outputs; then nothing more happens while
// idle. A plain emcc run (no log) is reported too: how many events its pauses make.
//
//   node tests/browser/reload_emcc.mjs --binary build/wasmdev
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium, playwright-core or emcc is missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems, startServer, stopServer } from './harness.mjs';

const STEP_TIMEOUT_MS = 60000;  // an emcc link on a loaded machine
const argv = process.argv.slice(2);
const binary = argv[argv.indexOf('--binary') + 1];
if (argv.indexOf('--binary') < 0 || !binary) {
  console.error('usage: node reload_emcc.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);
if (!existsSync('/usr/bin/emcc')) {
  console.log('SKIP: /usr/bin/emcc is missing: install Debian\'s emscripten (scripts/setup.sh --test)');
  process.exit(77);
}
const run = promisify(execFile);
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs', EMSDK_PYTHON: '/usr/bin/python3' };

const root = mkdtempSync(join(tmpdir(), 'wasmdev-reload-emcc-'));
mkdirSync(join(root, 'out'));
writeFileSync(join(root, 'out', 'index.html'),
  '<!doctype html>\n<html><head><title>loading</title><script src="pre.js"></script><script src="hello.js"></script></head><body></body></html>\n');
writeFileSync(join(root, 'out', 'pre.js'), 'var Module = { print: (text) => { document.title = text; } };\n');
const build = async (version, withLog) => {
  writeFileSync(join(root, 'hello.c'), `#include <stdio.h>\nint main(void) { printf("hello ${version}\\n"); return 0; }\n`);
  const emcc = `emcc hello.c -o out/hello.js`;
  const started = Date.now();
  await run('bash', ['-o', 'pipefail', '-c', withLog ? `${emcc} 2>&1 | tee out/wasmdev-build.log` : emcc], { cwd: root, env });
  return { started, ended: Date.now() };
};

const failures = [];
const expect = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
let server = null;
let browser = null;
try {
  await build('v1', false);
  server = startServer(binary, ['serve', root, '--reload']);
  const url = await server.ready;
  console.log(`server: ${server.command} -> ${url}`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext()).newPage();
  logPageProblems(page);
  const loads = [];
  page.on('load', () => loads.push(Date.now()));
  const shows = (text) => page.waitForFunction((t) => document.title === t && window.__wasmdevReload?.state === 'open', text,
    { timeout: STEP_TIMEOUT_MS });
  await page.goto(`${url}out/`);
  await shows('hello v1');

  // A rebuild announced by its log: one reload, with the new module.
  const logged = await build('v2', true);
  await shows('hello v2');
  const latency = loads[loads.length - 1] - logged.ended;
  expect(loads.length === 2, `a rebuild through tee wasmdev-build.log reloads the page once (${loads.length - 1} reloads)`);
  console.log(`emcc build ${logged.ended - logged.started} ms; reload latency from the build's end to the new page's load: ${latency} ms`);

  // Idle: a change the page does not use is heard, and nothing else has happened.
  const heard = await page.evaluate(() => window.__wasmdevReload.events);
  writeFileSync(join(root, 'notes.txt'), 'idle\n');
  await page.waitForFunction((n) => window.__wasmdevReload.events > n, heard, { timeout: STEP_TIMEOUT_MS });
  expect(loads.length === 2, `no reload while idle after the build (${loads.length - 2} more)`);

  // A plain emcc run: its pauses between outputs make more than one event at the default quiet
  // period. Reported, not asserted: it depends on the machine's speed.
  const before = loads.length;
  await build('v3', false);
  await shows('hello v3');
  console.log(`a plain emcc rebuild (no log) reloaded the page ${loads.length - before} time(s) by the time it showed v3`);
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) {
    const ended = await stopServer(server);
    if (failures.length) console.log(`server (${ended}) stderr:\n${server.stderr.trimEnd() || '(empty)'}`);
  }
  rmSync(root, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('PASS: live reload through real emcc rebuilds');
