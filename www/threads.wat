;; The self-check's threads module: it imports a shared memory, so it can only be
;; instantiated when SharedArrayBuffer exists (a cross-origin isolated page), and its
;; counter only reaches 2N when the page and a worker really share that memory.
;; Regenerate threads.wasm with: wat2wasm --enable-threads threads.wat -o threads.wasm
(module
  (import "env" "memory" (memory 1 1 shared))
  ;; Adds 1 to the i32 at address 0, `times` times, each time atomically.
  (func (export "add") (param $times i32)
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $times) (i32.const 0)))
        (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
        (local.set $times (i32.sub (local.get $times) (i32.const 1)))
        (br $again))))
  (func (export "get") (result i32) (i32.atomic.load (i32.const 0))))
