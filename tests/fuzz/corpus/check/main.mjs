// The fixture's entry module: a static import, a worker, and a streamed .wasm.
import { show } from "./lib.mjs";

const worker = new Worker("worker.js");
worker.onmessage = (e) => show(`worker: ${e.data}`);
const { instance } = await WebAssembly.instantiateStreaming(fetch("app.wasm"));
show(`wasm exports: ${Object.keys(instance.exports).length}, isolated: ${self.crossOriginIsolated}`);
