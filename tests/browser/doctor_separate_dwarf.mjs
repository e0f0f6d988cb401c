// A -gseparate-dwarf build (Debian's emscripten) loaded by headless Chromium through wasmdev
// (docs/doctor.md): Emscripten's own JS glue compiles the module with WebAssembly.instantiateStreaming,
// the program runs, and the URL DevTools computes from the module's external_debug_info section
// (resolved against the module's URL, as DWARFSymbols.ts does) answers 200 with the DWARF from the
// page's origin. `wasmdev doctor --json` must name the same URL and say it exists.
//
//   node tests/browser/doctor_separate_dwarf.mjs --binary build/wasmdev
//
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium, playwright-core or emcc is missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromiumOrSkip, withServedPage } from './harness.mjs';

const PAGE_TIMEOUT_MS = 60000;
const argv = process.argv.slice(2);
const binary = argv[0] === '--binary' && argv.length === 2 ? argv[1] : undefined;
if (!binary) {
  console.error('usage: node doctor_separate_dwarf.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);
const env = { ...process.env, NODE_PATH: process.env.NODE_PATH ?? '/usr/share/nodejs', EMSDK_PYTHON: process.env.EMSDK_PYTHON ?? '/usr/bin/python3' };
if (spawnSync('emcc', ['--version'], { env }).error) {
  console.log('SKIP: emcc is missing: install emscripten with scripts/setup.sh --test');
  process.exit(77);
}

const root = mkdtempSync(join(tmpdir(), 'wasmdev-doctor-dwarf-'));
mkdirSync(join(root, 'src'));
mkdirSync(join(root, 'app'));
writeFileSync(join(root, 'src', 'hello.c'), '#include <stdio.h>\nint main(void) { printf("answer %d\\n", 6 * 7); return 0; }\n');
const built = spawnSync('emcc', ['-g', '-gseparate-dwarf', `-ffile-prefix-map=${root}=..`, '../src/hello.c', '-o', 'hello.js'],
  { cwd: join(root, 'app'), env, encoding: 'utf8' });
if (built.status !== 0) {
  console.log(`FAIL: emcc: ${built.stderr}`);
  process.exit(1);
}
// The page records what instantiateStreaming compiled, then runs Emscripten's glue.
writeFileSync(join(root, 'app', 'index.html'), `<!doctype html><meta charset="utf-8"><title>separate DWARF</title>
<script>
window.__streamed = [];
const original = WebAssembly.instantiateStreaming;
WebAssembly.instantiateStreaming = async (source, imports) => {
  const response = await source;
  window.__streamed.push(response.url);
  return original(response, imports);
};
var Module = { print: (t) => { (window.__printed ??= []).push(t); } };
</script>
<script src="hello.js"></script>
`);

// external_debug_info's URL as the browser sees it: the section's string resolved against the module URL.
async function debugInfoUrl(moduleUrl) {
  const bytes = new Uint8Array(await (await fetch(moduleUrl)).arrayBuffer());
  let i = 8;
  const leb = () => { let r = 0, s = 0, b; do { b = bytes[i++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const text = (n) => { const t = new TextDecoder().decode(bytes.subarray(i, i + n)); i += n; return t; };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    const end = i + size;
    if (id === 0 && text(leb()) === 'external_debug_info') return new URL(text(leb()), moduleUrl).href;
    i = end;
  }
  return null;
}

const failures = await withServedPage({ chromium, binary, args: ['serve', root], root, path: 'app/index.html', timeoutMs: PAGE_TIMEOUT_MS }, async (page, url, failures) => {
  await page.waitForFunction(() => window.__printed && window.__printed.length > 0, null, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  const { printed, streamed } = await page.evaluate(() => ({ printed: window.__printed, streamed: window.__streamed }));
  console.log(`page printed ${JSON.stringify(printed)}; instantiateStreaming compiled ${JSON.stringify(streamed)}`);
  const moduleUrl = `${url}app/hello.wasm`;
  if (printed[0] !== 'answer 42') failures.push(`the program printed ${JSON.stringify(printed)}`);
  if (!streamed.includes(moduleUrl)) failures.push(`instantiateStreaming did not compile ${moduleUrl}`);

  const debugUrl = await debugInfoUrl(moduleUrl);
  if (debugUrl !== `${url}app/hello.wasm.debug.wasm`) failures.push(`external_debug_info resolves to ${debugUrl}`);
  // Fetched from the page, as DevTools' extension fetches it for this origin.
  const fetched = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), magic: Array.from(b.subarray(0, 4)), debugInfo: new TextDecoder().decode(b).includes('.debug_info') };
  }, debugUrl);
  console.log(`debug file: ${JSON.stringify(fetched)}`);
  if (fetched.status !== 200) failures.push(`${debugUrl} answered ${fetched.status}`);
  if (fetched.magic.join() !== '0,97,115,109') failures.push('the debug file is not a wasm module');
  if (!fetched.debugInfo) failures.push('the debug file has no .debug_info section');

  const doctor = spawnSync(binary, ['doctor', join(root, 'app', 'hello.wasm'), '--root', root, '--url', url, '--json'], { encoding: 'utf8' });
  const report = JSON.parse(doctor.stdout).modules[0];
  const file = report.debug_files.find((f) => f.role === 'external_debug_info');
  console.log(`doctor: exit ${doctor.status}, debug file ${JSON.stringify(file)}, counts ${JSON.stringify(report.counts)}`);
  if (doctor.status !== 0) failures.push(`wasmdev doctor exited ${doctor.status}`);
  if (!file || file.url !== debugUrl || !file.exists) failures.push('the doctor does not name the URL the browser fetched');
  if (report.counts.reachable !== 1) failures.push(`the doctor finds ${report.counts.reachable} reachable sources, want 1 (src/hello.c)`);

  // The self-check page lists the module the browser just loaded, with the doctor's verdict.
  await page.goto(`${url}__wasmdev/`);
  await page.waitForFunction(() => document.body.dataset.modules === '1', null, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  const rows = await page.$$eval('#modules tr', (trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ')));
  console.log(`self-check page, modules: ${JSON.stringify(rows)}`);
  const row = rows.find((r) => r.includes('app/hello.wasm'));
  if (!row) failures.push('the self-check page does not list app/hello.wasm');
  else if (!row.startsWith('OK') || !row.includes('external_dwarf')) failures.push(`the self-check page's row: ${row}`);
});

if (failures.length) {
  console.log(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('OK: the -gseparate-dwarf module streamed, ran, and its external_debug_info URL answered 200 from the page');
