// Opens the self-check page (/__wasmdev/) from a running wasmdev in headless Chromium.
//   node selfcheck.mjs --binary build/wasmdev             every check must pass
//   node selfcheck.mjs --binary build/wasmdev --coep-off  served without COEP: isolation and
//     threads must FAIL while streaming compilation still passes — proof the page can fail.
// Exits 77 (ctest: skipped) when Chromium or playwright-core is missing.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath, startServer } from './serve.mjs';

const args = process.argv.slice(2);
const binary = args[args.indexOf('--binary') + 1];
const coepOff = args.includes('--coep-off');
if (!args.includes('--binary') || !binary) {
  console.error('usage: node selfcheck.mjs --binary PATH/TO/wasmdev [--coep-off]');
  process.exit(2);
}

let chromium;
try {
  chromium = createRequire(import.meta.url)('playwright-core').chromium;
} catch {
  console.log('SKIP: playwright-core is not installed; run ./scripts/setup.sh --test');
  process.exit(77);
}
if (!existsSync(chromiumPath)) {
  console.log(`SKIP: ${chromiumPath} is missing; run ./scripts/setup.sh --test (Debian package chromium)`);
  process.exit(77);
}

const root = mkdtempSync(join(tmpdir(), 'wasmdev-selfcheck-'));
const server = await startServer(binary, [root, '--quiet', ...(coepOff ? ['--coep', 'off'] : [])]);
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
let failures = [];
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(`${server.url}__wasmdev/`);
  await page.waitForFunction(() => window.__wasmdevSelfCheck && window.__wasmdevSelfCheck.done, null, { timeout: 30000 });
  const { checks } = await page.evaluate(() => window.__wasmdevSelfCheck);
  for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: ${c.reason}`);
  const byName = (prefix) => checks.find((c) => c.name.startsWith(prefix));
  if (checks.length < 5) failures.push(`expected at least 5 checks, got ${checks.length}`);
  if (coepOff) {
    for (const name of ['crossOriginIsolated', 'threads']) {
      if (!byName(name) || byName(name).pass) failures.push(`${name} should FAIL without COEP`);
    }
    if (!byName('instantiateStreaming')?.pass) failures.push('instantiateStreaming should still PASS without COEP');
  } else {
    failures = checks.filter((c) => !c.pass).map((c) => `${c.name} failed`);
  }
} catch (e) {
  failures.push(String(e));
  console.log(server.logs());
} finally {
  await browser.close();
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`FAILED (${coepOff ? 'served with --coep off' : 'served with the default policy'}): ${failures.join('; ')}`);
  process.exit(1);
}
console.log(`OK (${coepOff ? 'threads fail without COEP, as they must' : 'every check passed'})`);
