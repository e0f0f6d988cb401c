#!/usr/bin/env bash
# `wasmdev doctor` on real modules built here by Debian's emscripten (and clang-14/wasm-ld for
# DWARF 5): embedded DWARF with absolute and with prefix-mapped paths, -gseparate-dwarf (and the
# verdict flipping to 1 when the .debug.wasm is removed), -gsplit-dwarf (DWARF 4 GNU with 3.1.6),
# DWARF 5 split units and their .dwo, -gsource-map, a -pthread shared-memory build, a directory
# scan, and the usage errors. Usage: doctor_emscripten.sh WASMDEV REPO_ROOT. Exit 77: no emcc.
set -u
bin=$1
command -v emcc >/dev/null || { echo "skip: emcc is not installed (apt-get install emscripten)"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is missing"; exit 77; }
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} EMSDK_PYTHON=${EMSDK_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
root=$(cd "$tmp" && pwd -P)
url=http://127.0.0.1:8000/

mkdir -p "$root/src" "$root/build"
cat > "$root/src/hello.c" <<'C'
#include <stdio.h>
#include "util.h"
int main(void) { printf("%d\n", twice(21)); return 0; }
C
cat > "$root/src/util.h" <<'C'
static inline int twice(int x) { return 2 * x; }
C

# Builds in $root/build/NAME (the compiler's working directory), from ../../src/hello.c.
build() {
  local name=$1; shift
  mkdir -p "$root/build/$name"
  (cd "$root/build/$name" && emcc "$@" ../../src/hello.c -o hello.js) >"$root/build/$name.log" 2>&1 ||
    fail "emcc $* failed: $(tail -n 5 "$root/build/$name.log")"
}

# Runs the doctor with --json on build/NAME/FILE; sets rc and leaves the JSON in $root/out.json.
doctor() {
  "$bin" doctor "$root/build/$1" --root "$root" --url "$url" --json >"$root/out.json" 2>"$root/err.txt"
  rc=$?
}

# Asserts a Python expression over the first module's report `m` (and the whole document `d`).
check() {
  python3 - "$root/out.json" "$1" <<'PY' || fail "$2: $(head -c 3000 "$root/out.json")"
import json, sys
d = json.load(open(sys.argv[1]))
m = d["modules"][0]
c = m["counts"]
files = {f["role"]: f for f in m["debug_files"]}
kinds = m["kinds"]
ok = eval(sys.argv[2])
sys.exit(0 if ok else 1)
PY
}

# 1. -g: absolute paths under ROOT. Loads through the substitution; the flag leads back from build/abs/.
build abs -g
doctor abs/hello.wasm
[ $rc = 0 ] || fail "-g embedded: exit $rc, want 0"
check "kinds == ['embedded_dwarf'] and c['via_substitution'] == 2 and c['reachable'] == 0 and c['missing'] == 0 and c['outside_root'] == 0 and c['toolchain'] > 10" "-g: source classes"
check "m['substitutions'] == [{'from': d['root'] + '/', 'to': '$url'}]" "-g: the substitution"
check "m['compiler_flag'] == '-ffile-prefix-map=' + d['root'] + '=../..'" "-g: the compiler flag"
check "files['dwp']['url'] == '${url}build/abs/hello.wasm.dwp' and not files['dwp']['exists'] and files['dwp']['optional']" "-g: the .dwp DevTools asks for"
check "all(s['class'] == 'toolchain' for s in m['sources'] if '/emscripten' in s['path'] or 'sysroot' in s['path'])" "-g: toolchain sources"

# 2. The flag the doctor printed makes the paths relative: every project source is reachable as is.
build mapped -g "-ffile-prefix-map=$root=../.."
doctor mapped/hello.wasm
[ $rc = 0 ] || fail "prefix-mapped: exit $rc, want 0"
check "c['reachable'] == 2 and c['via_substitution'] == 0 and m['substitutions'] == []" "prefix-mapped: reachable without substitution"
check "sorted(s['url'] for s in m['sources'] if s['class'] == 'reachable') == ['${url}src/hello.c', '${url}src/util.h']" "prefix-mapped: URLs"

# 3. -fdebug-compilation-dir=. from the module's directory: relative to the module's URL too.
build compdir -g -fdebug-compilation-dir=.
doctor compdir/hello.wasm
[ $rc = 0 ] || fail "-fdebug-compilation-dir=.: exit $rc"
check "c['reachable'] == 2" "-fdebug-compilation-dir=.: reachable"

# 4. -gseparate-dwarf: the module names its debug file; relative DWARF paths resolve against it.
build separate -g -gseparate-dwarf "-ffile-prefix-map=$root=../.."
doctor separate/hello.wasm
[ $rc = 0 ] || fail "-gseparate-dwarf: exit $rc, want 0"
check "kinds == ['external_dwarf'] and files['external_debug_info']['url'] == '${url}build/separate/hello.wasm.debug.wasm' and files['external_debug_info']['exists']" "-gseparate-dwarf: debug file URL"
check "m['symbols_url'] == '${url}build/separate/hello.wasm.debug.wasm' and c['reachable'] == 2 and m['dwarf_units'] > 10" "-gseparate-dwarf: sources through the debug file"
rm "$root/build/separate/hello.wasm.debug.wasm"
doctor separate/hello.wasm
[ $rc = 1 ] || fail "-gseparate-dwarf without its .debug.wasm: exit $rc, want 1"
check "not files['external_debug_info']['exists'] and any(f['severity'] == 'error' and 'not on the server' in f['message'] for f in m['findings'])" "missing .debug.wasm: the error"

# 5. An absolute -sSEPARATE_DWARF_URL path: DevTools asks for file://, even though the file is there.
(cd "$root/build/separate" && emcc -g -gseparate-dwarf "-sSEPARATE_DWARF_URL=$root/build/separate/abs.wasm.debug.wasm" \
   ../../src/hello.c -o abs.js) >/dev/null 2>&1 || fail "emcc -sSEPARATE_DWARF_URL=ABS failed"
[ -f "$root/build/separate/abs.wasm.debug.wasm" ] || fail "no abs.wasm.debug.wasm"
doctor separate/abs.wasm
[ $rc = 1 ] || fail "absolute SEPARATE_DWARF_URL: exit $rc, want 1"
check "files['external_debug_info']['url'] == 'file://$root/build/separate/abs.wasm.debug.wasm' and \"leading '/'\" in m['findings'][0]['fix']" "absolute SEPARATE_DWARF_URL: file:// URL and the fix"

# 6. -gsplit-dwarf: Emscripten 3.1.6 emits DWARF 4 GNU split units, whose .dwo DevTools never fetches.
build split -g -gsplit-dwarf
[ -f "$root/build/split/hello.dwo" ] || fail "-gsplit-dwarf wrote no hello.dwo"
doctor split/hello.wasm
[ $rc = 1 ] || fail "-gsplit-dwarf (DWARF 4): exit $rc, want 1"
check "'split_dwarf' in kinds and any('GNU split DWARF' in f['message'] for f in m['findings'])" "-gsplit-dwarf: the DWARF 4 verdict"

# 7. DWARF 5 split units (clang-14 + wasm-ld, as emcc 3.1.6 cannot link DWARF 5): the .dwo is fetched
#    relative to the file holding the DWARF; removing it flips the verdict.
if command -v clang-14 >/dev/null && command -v wasm-ld >/dev/null; then
  mkdir -p "$root/build/v5"
  cat > "$root/src/lib.c" <<'C'
#include "util.h"
int entry(int x) { return twice(x) + 1; }
C
  (cd "$root/build/v5" && clang-14 --target=wasm32 -nostdlib -gdwarf-5 -gsplit-dwarf "-ffile-prefix-map=$root=../.." \
     -Wl,--no-entry -Wl,--export-all ../../src/lib.c -o lib.wasm) >"$root/build/v5.log" 2>&1 || fail "clang-14 DWARF 5: $(cat "$root/build/v5.log")"
  doctor v5/lib.wasm
  [ $rc = 0 ] || fail "DWARF 5 split: exit $rc, want 0 ($(cat "$root/out.json"))"
  check "'split_dwarf' in kinds and files['dwo']['url'] == '${url}build/v5/lib.dwo' and files['dwo']['exists'] and c['reachable'] == 2" "DWARF 5 split: .dwo"
  rm "$root/build/v5/lib.dwo"
  doctor v5/lib.wasm
  [ $rc = 1 ] || fail "DWARF 5 split without its .dwo: exit $rc, want 1"
else
  echo "note: clang-14/wasm-ld missing, DWARF 5 split case not run"
fi

# 8. -gsource-map: the map beside the module, its sources relative to the map.
build map -gsource-map
doctor map/hello.wasm
[ $rc = 0 ] || fail "-gsource-map: exit $rc, want 0 ($(cat "$root/out.json"))"
check "kinds == ['source_map'] and files['source map']['url'] == '${url}build/map/hello.wasm.map' and files['source map']['exists']" "-gsource-map: map URL"
check "c['reachable'] == 2 and c['missing'] == 0 and c['toolchain'] > 10" "-gsource-map: source classes"
rm "$root/build/map/hello.wasm.map"
doctor map/hello.wasm
[ $rc = 1 ] || fail "-gsource-map without its map: exit $rc, want 1"

# 9. -pthread: shared memory, which needs cross-origin isolation.
build threads -g -pthread
doctor threads/hello.wasm
[ $rc = 0 ] || fail "-pthread: exit $rc, want 0"
check "m['shared_memory'] and any('cross-origin isolated' in f['message'] for f in m['findings'])" "-pthread: shared memory"

# 10. A directory: every .wasm below it (not the .debug.wasm files), text output, exit 1 (split, abs).
"$bin" doctor "$root/build" --root "$root" >"$root/out.txt" 2>&1; rc=$?
[ $rc = 1 ] || fail "directory: exit $rc, want 1"
n=$(grep -c '^build/.*\.wasm ' "$root/out.txt")
want=$(find "$root/build" -name '*.wasm' ! -name '*.debug.wasm' | wc -l)
[ "$n" = "$want" ] || fail "directory: $n reports, want $want: $(cat "$root/out.txt")"
grep -q $'\x1b\[' "$root/out.txt" && fail "colour codes when stdout is not a terminal"

# 11. Usage errors: exit 2 and one line.
for args in "doctor /definitely/not/here" "doctor $root/build --url ftp://x/" "doctor $root/build --root $root/src" \
            "doctor $root/build --root /definitely/not/here" "doctor --bogus"; do
  out=$("$bin" $args 2>&1 >/dev/null); rc=$?
  [ $rc = 2 ] || fail "'$args' exited $rc, want 2 ($out)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "'$args' printed more than one line: $out"
done
echo "ok: doctor verdicts on real emscripten builds"
