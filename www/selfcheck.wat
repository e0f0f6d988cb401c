;; The self-check's plain module: loaded with WebAssembly.instantiateStreaming, which
;; only accepts a response whose Content-Type is exactly application/wasm.
;; The passive data segment pads the module past the server's compression threshold with
;; text that compresses well, so the page can see whether compression is in use.
;; Regenerate selfcheck.wasm with: wat2wasm --enable-threads selfcheck.wat -o selfcheck.wasm
(module
  (func (export "answer") (result i32) (i32.const 42))
  (data "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "
        "wasmdev self-check: this text only pads the module so that it is worth compressing. "))
