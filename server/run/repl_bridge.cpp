// The REPL pages' worker protocol, bridged to run's stdin and stdout (see repl_bridge.hpp).
#include "server/run/repl_bridge.hpp"

namespace wasmdev::run {

std::string repl_bridge_script() {
    return R"JS(
  // Lines of run's stdin wait here for a worker's request: wasmdev calls wasmdevRun.stdin(line)
  // (null at the end of its input) once for each {"stdin":true} report.
  const stdinWaiting = [];
  const replStdin = (text) => {
    const answer = stdinWaiting.shift();
    if (answer) answer(text === null || text === undefined ? null : String(text));
  };
  const watchReplWorker = (worker) => {
    let recognised = false;
    let sab = null;
    let pendingIn = null;  // the rest of a line longer than the worker's buffer
    const out = {stdout: [], stderr: []};
    const decoder = new TextDecoder();
    const flush = (stream) => {
      const b = out[stream];
      if (b.length === 0) return;
      report(JSON.stringify({[stream === 'stdout' ? 'out' : 'err']: decoder.decode(new Uint8Array(b))}));
      b.length = 0;
    };
    const put = (stream, c) => {
      const n = typeof c === 'number' ? c : (typeof c === 'string' && c.length > 0 ? c.charCodeAt(0) : -1);
      if (n < 0) return;
      if (n === 10) return flush(stream);  // one report per line: run prints it as one
      out[stream].push(n & 255);
      if (out[stream].length >= 65536) flush(stream);
    };
    // The page's own answer writes the UTF-8 bytes one per Int32 slot after the count in slot 0;
    // a count of 0 is the end of input. A worker that reads that as null ends its input there;
    // 3.11's python.worker.js cannot: it reads on from slot 1, whatever the slots still hold,
    // and would run the last line again. So the end of input also clears the slots: it then
    // reads NUL bytes, an empty C string, which CPython's tokenizer takes as the end of input.
    const answer = (bytes) => {
      const buf = new Int32Array(sab);
      if (!bytes) buf.fill(0, 1);
      const n = bytes ? Math.min(bytes.length, buf.length - 1) : 0;
      for (let i = 0; i < n; i++) buf[1 + i] = bytes[i];
      pendingIn = bytes && bytes.length > n ? bytes.subarray(n) : null;
      Atomics.store(buf, 0, n);
      Atomics.notify(buf, 0);
    };
    worker.addEventListener('message', (event) => {
      const d = event.data;
      if (d === null || typeof d !== 'object' || typeof d.type !== 'string') return;
      if (!recognised) {
        if (d.type !== 'ready' || !(d.stdinBuffer instanceof SharedArrayBuffer)) return;
        recognised = true;
        // After the page's own handler, which enables the button.
        setTimeout(() => {
          const start = document.getElementById('repl');
          if (start && !start.disabled) start.click();
        }, 0);
        return;
      }
      if (d.type === 'stdout' || d.type === 'stderr') {
        put(d.type, d[d.type]);
      } else if (d.type === 'stdin' && d.buffer instanceof SharedArrayBuffer) {
        sab = d.buffer;
        // A prompt (">>> ") ends with no newline: shown before the input it asks for.
        flush('stdout');
        flush('stderr');
        if (pendingIn) return answer(pendingIn);
        stdinWaiting.push((text) => answer(text === null ? null : new TextEncoder().encode(text + '\n')));
        report(JSON.stringify({stdin: true}));
      } else if (d.type === 'finished') {
        flush('stdout');
        flush('stderr');
        exit(d.returnCode);
      }
    });
  };
  if (typeof globalThis.Worker === 'function') {
    const PageWorker = globalThis.Worker;
    const Worker = class Worker extends PageWorker {
      constructor(...a) {
        super(...a);
        watchReplWorker(this);
      }
    };
    Object.defineProperty(globalThis, 'Worker', {value: Worker, writable: true, configurable: true, enumerable: false});
  }
)JS";
}

}  // namespace wasmdev::run
