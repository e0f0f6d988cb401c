var re = /a"b/g; x = a / b / c; import("./x.mjs"); new Worker(new URL("w.js", import.meta.url)); importScripts("a.js", "b.js"); f(`t${1}.wasm`); // x
//# sourceMappingURL=app.js.map
