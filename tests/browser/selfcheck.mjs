// Opens wasmdev's self-check page (/__wasmdev/, docs/design.md#self-check) in headless Chromium.
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
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromiumOrSkip, withServedPage } from './harness.mjs';

const CHECK_NAMES = ['crossOriginIsolated', 'SharedArrayBuffer', 'instantiateStreaming', 'threads', 'compression'];
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
const chromium = chromiumOrSkip(binary);

// ---- the run -----------------------------------------------------------------------
const mode = coepOff ? 'served with --coep off' : 'served with the default policy';
const root = mkdtempSync(join(tmpdir(), 'wasmdev-selfcheck-'));
// An empty root: the page must come from the binary itself (/__wasmdev/ is served under any root).
const args = ['serve', root, ...(coepOff ? ['--coep', 'off'] : [])];
const failures = await withServedPage({ chromium, binary, args, root, path: '__wasmdev/', timeoutMs: PAGE_TIMEOUT_MS }, async (page, url, failures) => {
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
});

if (failures.length) {
  console.log(`FAILED (${mode}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK (${mode}: ${coepOff ? 'isolation and threads fail without COEP, streaming compilation still passes' : 'every check passed'})`);
