#!/usr/bin/env bash
# The doctor's source list equals LLDB's: the C/C++ DevTools extension's symbols backend is
# LLDB, and the files it offers DevTools are its compile units' support files. For real modules
# (emcc -g with absolute and with prefix-mapped relative paths, clang-14 DWARF 4, DWARF 5 and
# DWARF 5 split units) every path `wasmdev doctor --json` lists must be one LLDB 14 lists, and
# the other way round. Usage: doctor_lldb.sh WASMDEV REPO_ROOT. Exit 77: no emcc or LLDB python.
set -u
bin=$1
py=/usr/bin/python3
lldb_py="import sys; sys.path[:0] = ['/usr/lib/llvm-14/lib/python3.11/dist-packages', '/usr/lib/llvm-14/lib/python3/dist-packages/lldb']; import lldb"
command -v emcc >/dev/null || { echo "skip: emcc is not installed (apt-get install emscripten)"; exit 77; }
"$py" -c "$lldb_py" 2>/dev/null || { echo "skip: LLDB's python module is missing (apt-get install lldb-14 python3-lldb-14)"; exit 77; }
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} EMSDK_PYTHON=${EMSDK_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
root=$(cd "$tmp" && pwd -P)
mkdir -p "$root/src/inc" "$root/out/abs" "$root/out/rel" "$root/out/clang"
cat > "$root/src/inc/util.h" <<'C'
static inline int twice(int x) { return 2 * x; }
C
cat > "$root/src/main.c" <<'C'
#include <stdio.h>
#include "inc/util.h"
int main(void) { printf("%d\n", twice(21)); return 0; }
C
cat > "$root/src/lib.c" <<'C'
#include "inc/util.h"
int entry(int x) { return twice(x) + 1; }
C
(cd "$root/out/abs" && emcc -g ../../src/main.c -o main.js) >/dev/null 2>&1 || fail "emcc -g"
(cd "$root/out/rel" && emcc -g "-ffile-prefix-map=$root=../.." ../../src/main.c -o main.js) >/dev/null 2>&1 || fail "emcc -g -ffile-prefix-map"
modules=(out/abs/main.wasm out/rel/main.wasm)
if command -v clang-14 >/dev/null && command -v wasm-ld >/dev/null; then
  for v in 4 5; do
    (cd "$root/out/clang" && clang-14 --target=wasm32 -nostdlib -gdwarf-$v -fdebug-compilation-dir=. -Wl,--no-entry \
       -Wl,--export-all ../../src/lib.c -o lib$v.wasm) || fail "clang-14 -gdwarf-$v"
    modules+=(out/clang/lib$v.wasm)
  done
  (cd "$root/out/clang" && clang-14 --target=wasm32 -nostdlib -gdwarf-5 -gsplit-dwarf -Wl,--no-entry -Wl,--export-all \
     ../../src/lib.c -o split5.wasm) || fail "clang-14 -gdwarf-5 -gsplit-dwarf"
  modules+=(out/clang/split5.wasm)
fi

for m in "${modules[@]}"; do
  "$py" - "$root/$m" >"$tmp/lldb.txt" <<PY || fail "$m: LLDB could not read it"
$lldb_py
dbg = lldb.SBDebugger.Create()
target = dbg.CreateTargetWithFileAndArch(sys.argv[1], 'wasm32-unknown-unknown-wasm')
paths = set()
for module in target.module_iter():
    for cu in module.compile_unit_iter():
        for i in range(cu.GetNumSupportFiles()):
            f = cu.GetSupportFileAtIndex(i)
            if f.GetFilename():
                paths.add(f.fullpath)
print('\n'.join(sorted(paths)))
PY
  "$bin" doctor "$root/$m" --root "$root" --json >"$tmp/doctor.json" 2>&1
  "$py" -c "import json, sys; print('\n'.join(sorted({s['path'] for s in json.load(open(sys.argv[1]))['modules'][0]['sources']})))" \
    "$tmp/doctor.json" >"$tmp/doctor.txt" || fail "$m: doctor JSON: $(head -c 500 "$tmp/doctor.json")"
  [ -s "$tmp/lldb.txt" ] || fail "$m: LLDB lists no source files"
  diff -u "$tmp/lldb.txt" "$tmp/doctor.txt" >"$tmp/diff.txt" || fail "$m: the doctor's sources differ from LLDB's (- LLDB, + doctor):
$(cat "$tmp/diff.txt")"
  echo "ok: $m: $(wc -l <"$tmp/lldb.txt") source paths, as LLDB lists them"
done
