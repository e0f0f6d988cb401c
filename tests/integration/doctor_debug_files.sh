#!/usr/bin/env bash
# Debug files answer DevTools' loaders correctly through a real `wasmdev serve`
# (docs/doctor.md): .debug.wasm, .dwp, .dwo and .map answer HEAD with Accept-Ranges and their
# exact length, Range requests with identity 206s of exactly the asked bytes, and the .dwo (read
# by Emscripten's lazy file: HEAD for the length, then ranges) stays identity even when the
# browser accepts compression. Usage: doctor_debug_files.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
command -v curl >/dev/null || { echo "skip: curl is missing"; exit 77; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
mkdir -p "$tmp/root/build" "$tmp/root/obj"
# Compressible content of a few KiB, as DWARF and JSON are.
for i in $(seq 400); do echo "DW_TAG_compile_unit $i /home/u/proj/src/file$i.c"; done > "$tmp/seed"
cp "$tmp/seed" "$tmp/root/build/app.wasm.debug.wasm"
cp "$tmp/seed" "$tmp/root/build/app.wasm.debug.wasm.dwp"
cp "$tmp/seed" "$tmp/root/obj/app.dwo"
{ printf '{"version":3,"sources":['; for i in $(seq 300); do printf '"src/f%d.c",' "$i"; done; printf '"x.c"],"mappings":""}'; } \
  > "$tmp/root/build/app.wasm.map"

"$bin" serve "$tmp/root" --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line within 10 s: $(cat "$tmp/out.log" "$tmp/err.log")"

ae='Accept-Encoding: gzip, deflate, br, zstd'
header() { tr -d '\r' < "$1" | grep -i "^$2:" | head -n1 | cut -d' ' -f2-; }
status() { tr -d '\r' < "$1" | head -n1 | cut -d' ' -f2; }

for entry in "build/app.wasm.debug.wasm application/wasm" "build/app.wasm.debug.wasm.dwp application/octet-stream" \
             "obj/app.dwo application/octet-stream" "build/app.wasm.map application/json"; do
  set -- $entry
  path=$1 type=$2
  size=$(stat -c %s "$tmp/root/$path")

  # HEAD without Accept-Encoding: identity, the exact length, byte ranges offered.
  curl -s -I -o /dev/null -D "$tmp/h" "$url$path"
  [ "$(status "$tmp/h")" = 200 ] || fail "$path: HEAD status $(status "$tmp/h")"
  [ "$(header "$tmp/h" Content-Length)" = "$size" ] || fail "$path: HEAD Content-Length $(header "$tmp/h" Content-Length), want $size"
  [ "$(header "$tmp/h" Accept-Ranges)" = bytes ] || fail "$path: HEAD without Accept-Ranges: bytes"
  [ -z "$(header "$tmp/h" Content-Encoding)" ] || fail "$path: HEAD without Accept-Encoding is encoded"
  [ "$(header "$tmp/h" Content-Type)" = "$type" ] || fail "$path: Content-Type $(header "$tmp/h" Content-Type), want $type"

  # HEAD as a browser sends it: byte ranges still offered; a length, when given, is the GET's.
  curl -s -I -o /dev/null -D "$tmp/ha" -H "$ae" "$url$path"
  [ "$(header "$tmp/ha" Accept-Ranges)" = bytes ] || fail "$path: browser HEAD without Accept-Ranges: bytes"
  curl -s -o "$tmp/body" -D "$tmp/g" -H "$ae" "$url$path"
  [ "$(header "$tmp/ha" Content-Encoding)" = "$(header "$tmp/g" Content-Encoding)" ] || fail "$path: HEAD and GET codings differ"
  hl=$(header "$tmp/ha" Content-Length)
  [ -z "$hl" ] || [ "$hl" = "$(stat -c %s "$tmp/body")" ] || fail "$path: HEAD says $hl bytes, GET sent $(stat -c %s "$tmp/body")"

  # Ranges: identity 206 with exactly the asked bytes, whatever the browser accepts.
  for range in 100-1099 -100 "$((size - 10))-"; do
    curl -s -o "$tmp/part" -D "$tmp/r" -H "$ae" -H "Range: bytes=$range" "$url$path"
    [ "$(status "$tmp/r")" = 206 ] || fail "$path: Range $range status $(status "$tmp/r")"
    [ -z "$(header "$tmp/r" Content-Encoding)" ] || fail "$path: Range $range is encoded"
    case $range in
      -*) first=$((size - ${range#-})) last=$((size - 1)) ;;
      *-) first=${range%-} last=$((size - 1)) ;;
      *) first=${range%-*} last=${range#*-} ;;
    esac
    [ "$(header "$tmp/r" Content-Range)" = "bytes $first-$last/$size" ] || fail "$path: Content-Range $(header "$tmp/r" Content-Range)"
    [ "$(header "$tmp/r" Content-Length)" = $((last - first + 1)) ] || fail "$path: Range $range Content-Length $(header "$tmp/r" Content-Length)"
    tail -c +$((first + 1)) "$tmp/root/$path" | head -c $((last - first + 1)) | cmp -s - "$tmp/part" || fail "$path: Range $range bytes differ"
  done
done

# Emscripten's lazy file (DevTools' .dwo loader) reads ranges only when HEAD gives an identity
# length: a browser's HEAD of a .dwo must not be encoded.
curl -s -I -o /dev/null -D "$tmp/hd" -H "$ae" "${url}obj/app.dwo"
[ -z "$(header "$tmp/hd" Content-Encoding)" ] || fail ".dwo: a browser HEAD is encoded ($(header "$tmp/hd" Content-Encoding))"
[ "$(header "$tmp/hd" Content-Length)" = "$(stat -c %s "$tmp/root/obj/app.dwo")" ] || fail ".dwo: browser HEAD length"
echo "ok: debug files answer HEAD and Range for DevTools' loaders"
