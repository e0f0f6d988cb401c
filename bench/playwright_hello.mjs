// The least a CI job writes to run an Emscripten page with Playwright and get its exit code:
// a static server (node:http, the same COOP/COEP wasmdev sends), Debian's Chromium launched
// headless through playwright-core, and the emrun client's POSTs (the page is linked with
// --emrun) caught to learn the exit code. It is the third column of bench/run_vs_emrun.sh.
//
//   node bench/playwright_hello.mjs DIR PAGE     exits with the page's exit code; 2 on bad usage
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createRequire } from 'node:module';

const [dir, page] = process.argv.slice(2);
if (!dir || !page) {
  console.error('usage: node bench/playwright_hello.mjs DIR PAGE');
  process.exit(2);
}
const require = createRequire(new URL('../tests/browser/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.data': 'application/octet-stream' };
const server = createServer((req, res) => {
  const path = normalize(join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
  if (!path.startsWith(normalize(dir)) || req.method !== 'GET') { res.writeHead(404).end(); return; }
  try {
    statSync(path);
  } catch {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': types[extname(path)] ?? 'application/octet-stream',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  });
  createReadStream(path).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath: process.env.WASMDEV_BENCH_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
});
let code = 1;
try {
  const tab = await browser.newPage();
  const exited = new Promise((resolve) => {
    // The emrun client posts "^out^TEXT", "^err^TEXT" and at last "^exit^N" to stdio.html.
    tab.route('**/stdio.html', async (route) => {
      const body = route.request().postData() ?? '';
      if (body.startsWith('^out^')) process.stdout.write(`${body.slice(5)}\n`);
      else if (body.startsWith('^err^')) process.stderr.write(`${body.slice(5)}\n`);
      await route.fulfill({ status: 200, body: '' });
      if (body.startsWith('^exit^')) resolve(Number(body.slice(6)));
    });
  });
  // The emrun client posts only when the URL names localhost.
  await tab.goto(`http://localhost:${server.address().port}/${page}`);
  code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(124), 100000))]);
} finally {
  await browser.close();
  server.close();
}
process.exit(code);
