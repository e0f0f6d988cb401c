// The self-check's worker: instantiates the threads module on the memory the page sent,
// waits for "go", adds to the shared counter and reports back. Under a COEP page this
// script itself must be served with COEP, or the browser refuses to start it.
'use strict';
let instance = null;
self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === 'init') {
      instance = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
      self.postMessage({ type: 'ready' });
    } else if (msg.type === 'go') {
      instance.exports.add(msg.times);
      self.postMessage({ type: 'done' });
    }
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e) });
  }
};
