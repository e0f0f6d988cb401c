// The self-check's worker (see selfcheck.js, check "threads"). It instantiates the module
// the page compiled on the page's own shared memory, adds to the shared counter when
// asked, and reports back. Under a COEP page the browser only starts this script if it is
// itself served with Cross-Origin-Embedder-Policy, which is part of what is checked.
'use strict';
let instance = null;
self.onmessage = (event) => {
  const msg = event.data;
  try {
    if (msg.type === 'init') {
      // Synchronous instantiation is fine in a worker, and the module is tiny.
      instance = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } });
      self.postMessage({ type: 'ready' });
    } else if (msg.type === 'add') {
      instance.exports.add(msg.times);
      self.postMessage({ type: 'done' });
    }
  } catch (e) {
    self.postMessage({ type: 'error', message: String(e) });
  }
};
