// Drives CPython's python.html REPL page in headless Chromium until `print(1+1)` prints 2.
//
//   node tests/e2e/python_html.mjs URL
//
// URL is the python.html address `wasmdev build PROFILE repl` printed. python.html loads
// xterm.js 4.18.0 from unpkg.com with SRI hashes; offline, those two requests are answered
// from npm's byte-identical xterm@4.18.0 (tests/e2e/node_modules). xterm 4 draws on a canvas,
// so the terminal's text is read from its buffer: an init script keeps the Terminal
// instance the page creates. Exit 0 on success, 1 on failure, 77 when tools are missing.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM, CHROMIUM_ARGS } from '../browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const xtermDir = join(here, 'node_modules', 'xterm');
const playwrightDir = join(here, '..', 'browser', 'node_modules', 'playwright-core');

const url = process.argv[2];
if (!url) {
  console.error('usage: node python_html.mjs URL');
  process.exit(2);
}
for (const [path, what] of [[CHROMIUM, 'Debian chromium'], [playwrightDir, 'playwright-core in tests/browser'],
  [xtermDir, 'xterm@4.18.0 (npm install in tests/e2e)']]) {
  if (!existsSync(path)) {
    console.log(`SKIP: ${path} is missing: install ${what}`);
    process.exit(77);
  }
}
const { chromium } = createRequire(join(playwrightDir, 'package.json'))('playwright-core');

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
let ok = false;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
  await page.route('https://unpkg.com/xterm@4.18.0/**', (route) => {
    const path = new URL(route.request().url()).pathname.replace('/xterm@4.18.0/', '');
    const type = path.endsWith('.css') ? 'text/css' : 'text/javascript';
    route.fulfill({
      status: 200,
      // Cross-origin isolated page: the response must allow cross-origin embedding.
      headers: { 'Content-Type': type, 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' },
      body: readFileSync(join(xtermDir, path)),
    });
  });
  // Keep every Terminal the page constructs, to read its buffer.
  await page.addInitScript(() => {
    let T;
    Object.defineProperty(window, 'Terminal', {
      configurable: true,
      get() { return T; },
      set(Orig) {
        T = class extends Orig {
          constructor(...a) { super(...a); (window.__wasmdevTerms ??= []).push(this); }
        };
      },
    });
  });
  const response = await page.goto(url);
  if (!response.ok()) throw new Error(`GET ${url}: ${response.status()}`);
  const isolated = await page.evaluate(() => window.crossOriginIsolated);
  console.log(`${elapsed()} page loaded, crossOriginIsolated=${isolated}`);
  if (!isolated) throw new Error('the page is not cross-origin isolated: SharedArrayBuffer will be missing');

  const screen = () => page.evaluate(() => {
    const t = window.__wasmdevTerms?.[0];
    if (!t) return '';
    const b = t.buffer.active;
    const lines = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i).translateToString(true));
    return lines.join('\n');
  });
  await page.waitForSelector('#repl:not([disabled])', { timeout: 120000 });
  console.log(`${elapsed()} "Start REPL" enabled`);
  await page.click('#repl');
  await page.waitForFunction(() => {
    const t = window.__wasmdevTerms?.[0];
    if (!t) return false;
    const b = t.buffer.active;
    for (let i = 0; i < b.length; i++) if (b.getLine(i).translateToString(true).startsWith('>>>')) return true;
    return false;
  }, null, { timeout: 120000 });
  console.log(`${elapsed()} banner and prompt:\n${(await screen()).trim()}`);
  await page.focus('.xterm-helper-textarea');
  await page.keyboard.type('print(1+1)');
  await page.keyboard.press('Enter');
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    const lines = (await screen()).split('\n').map((l) => l.trimEnd());
    const at = lines.findIndex((l) => l === '>>> print(1+1)');
    if (at >= 0 && lines[at + 1] === '2') {
      ok = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`${elapsed()} terminal:\n${(await screen()).trim()}`);
} catch (e) {
  console.log(`FAIL: ${e.message}`);
} finally {
  await browser.close();
}
console.log(ok ? `PASS: print(1+1) printed 2 in python.html (${elapsed()})` : 'FAIL: print(1+1) did not print 2');
process.exit(ok ? 0 : 1);
