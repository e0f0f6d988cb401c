// A WASI host runner for CPython's python.wasm on Node's node:wasi (preview1), for machines
// without wasmtime. Used as HOSTRUNNER: `node wasi_runner.mjs ./python.wasm [ARGS...]`,
// run by make in builddir/PROFILE. Like wasm_build.py's wasmtime line it maps the checkout
// root as / and sets PYTHONPATH to the build's lib dir and /Lib.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import { WASI } from 'node:wasi';

const [wasmArg, ...args] = process.argv.slice(2);
if (!wasmArg) {
  console.error('usage: node wasi_runner.mjs PATH/TO/python.wasm [ARGS...]');
  process.exit(2);
}
const wasmPath = resolve(wasmArg);
const builddir = dirname(wasmPath);                 // SRCDIR/builddir/PROFILE
const srcdir = resolve(builddir, '..', '..');
const rel = relative(srcdir, builddir);
const libdirs = readdirSync(resolve(builddir, 'build')).filter((d) => d.startsWith('lib.wasi-'));
const pythonpath = [...libdirs.map((d) => `/${rel}/build/${d}`), '/Lib'].join(':');

const wasi = new WASI({
  version: 'preview1',
  args: ['python', ...args],
  env: { PYTHONPATH: pythonpath, HOME: '/', TERM: process.env.TERM ?? 'dumb' },
  preopens: { '/': srcdir },
  returnOnExit: true,
});
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
