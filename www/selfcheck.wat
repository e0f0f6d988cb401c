;; The self-check's module (docs/design.md#self-check), used by two checks of selfcheck.js:
;;  - instantiateStreaming: only accepted when the server sends Content-Type exactly
;;    application/wasm;
;;  - threads: it imports a SHARED memory and counts with wasm atomics, so the page and a
;;    worker can only both add to one counter when the page is cross-origin isolated
;;    (a shared memory cannot be posted to a worker otherwise).
;; A passive data segment (never copied into memory) pads the module to ~3 KiB of
;; well-compressible bytes, above the ~1 KiB under which servers do not compress, so the
;; compression check has something to measure.
;;
;; Regenerate selfcheck.wasm after editing (wabt, Debian package "wabt"):
;;   wat2wasm --enable-threads www/selfcheck.wat -o www/selfcheck.wasm
(module
  (import "env" "memory" (memory 1 1 shared))

  ;; The counter lives at address 0 of the shared memory.
  ;; add(times): adds 1 to the counter `times` times, each an atomic read-modify-write, so
  ;; concurrent adds from the page and a worker never lose an increment.
  (func (export "add") (param $times i32)
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $times) (i32.const 0)))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (local.set $times (i32.sub (local.get $times) (i32.const 1)))
        (br $again))))

  ;; get(): the counter, read atomically.
  (func (export "get") (result i32) (i32.atomic.load (i32.const 0)))

  ;; answer(): 42; proves an instance really runs.
  (func (export "answer") (result i32) (i32.const 42))

  (data
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "
        "wasmdev self-check: padding that makes this module big enough to be worth compressing. "))
