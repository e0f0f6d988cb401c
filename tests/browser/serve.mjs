// Starts the real wasmdev binary on a free port for a browser test and stops it again.
// Shared by the browser tests; knows nothing about what the page checks.
import { spawn } from 'node:child_process';

export async function startServer(binary, args, { timeoutMs = 10000 } = {}) {
  const child = spawn(binary, ['serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line from wasmdev within ${timeoutMs} ms:\n${stdout}${stderr}`)), timeoutMs);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[0]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`wasmdev exited with ${code}:\n${stdout}${stderr}`)); });
  });
  child.stdout.resume();
  return {
    url,
    logs: () => stdout + stderr,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    }),
  };
}

// Flags that make Debian's Chromium behave on a closed network, as root (see shared notes).
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const chromiumPath = '/usr/bin/chromium';
