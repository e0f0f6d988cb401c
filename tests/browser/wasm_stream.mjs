// A real WebAssembly module, built with wabt's wat2wasm, loaded by headless Chromium
// through wasmdev twice with WebAssembly.instantiateStreaming:
//   cold: the first request of a never-compressed 8 MiB module, streamed compressed (no
//         Content-Length) while wasmdev is still compressing it;
//   warm: the same module again (fetch with cache: 'no-store'), from the compression cache.
// Both must compile, instantiate and return the checksum of the module's data segment
// computed here, under cross-origin isolation; stats.json must show one compression and a hit.
//
//   node tests/browser/wasm_stream.mjs --binary build/wasmdev
//
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 (ctest's SKIP_RETURN_CODE) when Chromium,
// playwright-core or wat2wasm is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromiumOrSkip, withServedPage } from './harness.mjs';

const DATA_BYTES = 8 << 20;     // big enough that compressing it takes far longer than deciding the response
const PAGE_TIMEOUT_MS = 60000;

const argv = process.argv.slice(2);
const binary = argv[0] === '--binary' && argv.length === 2 ? argv[1] : undefined;
if (!binary) {
  console.error('usage: node wasm_stream.mjs --binary PATH/TO/wasmdev');
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);
if (spawnSync('wat2wasm', ['--version']).error) {
  console.log('SKIP: wat2wasm is missing: install wabt with scripts/setup.sh --test');
  process.exit(77);
}

// Deterministic bytes that compress a few times over, like code: a few opcodes among noise.
function moduleData(n) {
  const out = Buffer.alloc(n);
  let x = 12345;
  const next = () => { x = (Math.imul(x, 1103515245) + 12345) >>> 0; return x >>> 16; };
  const words = ['local.get ', 'i32.add ', 'call $PyObject_', 'br_if '].map((w) => Buffer.from(w));
  for (let i = 0; i < n;) {
    if (next() % 5 === 0) { out[i++] = next() & 0xff; continue; }
    const w = words[next() % words.length];
    i += w.copy(out, i, 0, Math.min(w.length, n - i));
  }
  return out;
}

// The module: the bytes as an active data segment, and checksum() folding them like this.
function checksum(bytes) {
  let h = 0;
  for (const b of bytes) h = (Math.imul(h, 31) + b) | 0;
  return h;
}

const root = mkdtempSync(join(tmpdir(), 'wasmdev-wasm-stream-'));
const data = moduleData(DATA_BYTES);
const pages = Math.ceil(DATA_BYTES / 65536);
const escaped = Array.from(data, (b) => '\\' + b.toString(16).padStart(2, '0')).join('');
writeFileSync(join(root, 'app.wat'), `(module
  (memory (export "memory") ${pages})
  (data (i32.const 0) "${escaped}")
  (func (export "checksum") (result i32)
    (local $i i32) (local $h i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const ${DATA_BYTES})))
        (local.set $h (i32.add (i32.mul (local.get $h) (i32.const 31)) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h)))
`);
const built = spawnSync('wat2wasm', [join(root, 'app.wat'), '-o', join(root, 'app.wasm')], { encoding: 'utf8' });
if (built.status !== 0) {
  console.log(`FAIL: wat2wasm: ${built.stderr}`);
  process.exit(1);
}
rmSync(join(root, 'app.wat'));
// Under 1 KiB, so the page itself is not compressed and the cache's counters are the module's.
writeFileSync(join(root, 'index.html'), `<!doctype html><meta charset="utf-8"><title>wasm stream</title>
<script type="module">
async function load() {
  const r = await fetch('app.wasm', { cache: 'no-store' });
  const meta = { encoding: r.headers.get('content-encoding'), length: r.headers.get('content-length') };
  const { instance } = await WebAssembly.instantiateStreaming(r);
  return { ...meta, sum: instance.exports.checksum() };
}
try {
  const cold = await load();
  const warm = await load();
  window.__result = { cold, warm, isolated: crossOriginIsolated };
} catch (e) {
  window.__result = { error: String(e) };
}
</script>
`);

const expected = checksum(data);
const failures = await withServedPage({ chromium, binary, args: ['serve', root], root, path: 'index.html', timeoutMs: PAGE_TIMEOUT_MS }, async (page, url, failures) => {
  await page.waitForFunction(() => window.__result, null, { timeout: PAGE_TIMEOUT_MS, polling: 100 });
  const result = await page.evaluate(() => window.__result);
  console.log(`page: ${JSON.stringify(result)}; expected checksum ${expected}`);
  if (result.error) throw new Error(`the page failed: ${result.error}`);
  if (!result.isolated) failures.push('the page is not crossOriginIsolated');
  for (const [name, r] of [['cold', result.cold], ['warm', result.warm]]) {
    if (r.sum !== expected) failures.push(`${name}: checksum ${r.sum}, want ${expected}`);
    if (!['zstd', 'br', 'gzip', 'deflate'].includes(r.encoding)) failures.push(`${name}: Content-Encoding ${r.encoding}, want a compression`);
  }
  if (result.cold.length !== null) failures.push(`cold: Content-Length ${result.cold.length}: the body was not streamed while compressing`);
  if (result.warm.length === null) failures.push('warm: no Content-Length: the body did not come whole from the cache');

  const stats = await (await fetch(`${url}__wasmdev/stats.json`)).json();
  const c = stats.compress_cache;
  console.log(`stats: ${JSON.stringify(c)}`);
  if (c.compressions_started !== 1 || c.compressions_completed !== 1) failures.push('want exactly one compression, completed');
  if (c.hits < 1) failures.push('want the warm load to be a cache hit');
});

if (failures.length) {
  console.log(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('OK: an 8 MiB module compiled and ran, cold (streamed while compressing) and warm (from the cache)');
