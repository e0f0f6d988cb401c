#!/usr/bin/env bash
# Compression without room for the body (docs/design.md#compression-bound): under an address-space limit
# (ulimit -v, as on shared CI runners or with strict overcommit) a file too big to hold
# compressed is answered as it is, with a 200 and its real length, instead of a compressed
# response cut short; smaller files are still compressed. Usage: compress_no_memory.sh WASMDEV REPO_ROOT
set -u
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$tmp/root"
python3 -c "print('let answer = 42; // a line of a build\n' * 4000, end='')" > "$tmp/root/app.js"
truncate -s 3G "$tmp/root/huge.wasm"  # sparse: 3 GiB to compress, no disk used

# 1.5 GB of address space: enough to run, not enough to set 3 GiB aside for one body.
(ulimit -v 1500000 && exec "$bin" serve "$tmp/root" --port 0 >"$tmp/out.log" 2>"$tmp/err.log") &
pid=$!
for _ in $(seq 100); do
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$tmp/out.log" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"

head=$(curl -sS -I -H 'Accept-Encoding: gzip' "${url}huge.wasm" | tr -d '\r')
printf '%s\n' "$head" | grep -q '^HTTP/1.1 200' || fail "huge.wasm: not 200: $head"
printf '%s\n' "$head" | grep -qi '^content-encoding:' && fail "huge.wasm: compressed without room for it: $head"
printf '%s\n' "$head" | grep -qi '^content-length: 3221225472$' || fail "huge.wasm: not its own length: $head"

# The HEAD above started nothing (docs/design.md#decide-then-act); its GET tries, finds no room, and sends the file as
# it is, with the headers the HEAD announced (only the first bytes are read here).
curl -sS -D "$tmp/get" -H 'Accept-Encoding: gzip' "${url}huge.wasm" 2>/dev/null | head -c 1000 >/dev/null
get=$(tr -d '\r' <"$tmp/get")
printf '%s\n' "$get" | grep -qi '^content-encoding:' && fail "huge.wasm GET: compressed without room for it: $get"
printf '%s\n' "$get" | grep -qi '^content-length: 3221225472$' || fail "huge.wasm GET: not its own length: $get"

stats=$(curl -sS "${url}__wasmdev/stats.json")
printf '%s' "$stats" | python3 -c 'import json,sys; s=json.load(sys.stdin)["compress_cache"]; sys.exit(0 if s["compressions_failed"] == 1 and s["entries"] == 0 else 1)' \
  || fail "stats.json does not count the refused compression: $stats"

# The server goes on compressing what fits.
curl -sS -H 'Accept-Encoding: gzip' -D "$tmp/h" -o "$tmp/app.js.gz" "${url}app.js" || fail "GET app.js"
grep -qi '^content-encoding: gzip' "$tmp/h" || fail "app.js not gzipped: $(cat "$tmp/h")"
gunzip -c "$tmp/app.js.gz" | cmp -s - "$tmp/root/app.js" || fail "app.js gzip body does not decode to the file"
kill -0 "$pid" || fail "the server died"
echo "ok"
