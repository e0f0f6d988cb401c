#!/usr/bin/env bash
# --cache-mb bounds what compression holds in flight too (docs/design.md#compression-bound): four slow readers of a
# 160 MiB file with --cache-mb 1 must not pin its compressed body in memory (a 300 MB file
# pinned 274 MiB): peak RSS (VmHWM) may grow by at most 32 MiB while they read, and each gets
# a complete, correct response. The file is random bytes (deflate cannot shrink it) in a .wasm,
# a type the server compresses. Usage: compress_in_flight_bound.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status"; }

mkdir "$tmp/root"
head -c $((160 << 20)) /dev/urandom >"$tmp/root/big.wasm"
size=$(stat -c %s "$tmp/root/big.wasm")
"$bin" serve "$tmp/root" --port 0 --quiet --cache-mb 1 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
curl -sS -o /dev/null "${url}__wasmdev/stats.json" || fail "the server does not answer"
base=$(hwm_kib)

for i in 1 2 3 4; do
  curl -sS --limit-rate 2M -H 'Accept-Encoding: gzip' -D "$tmp/head$i" -o "$tmp/body$i" "${url}big.wasm" &
  clients+=($!)
done
for i in 1 2 3 4; do
  wait_for_match "^HTTP/1.1 200" 60 "$tmp/head$i" >/dev/null || fail "reader $i: no response head within 60 s"
done
# A fast reader of the same body finishes once that body is complete: whatever the server
# makes for the slow readers (a 2 MiB/s reader needs 80 s) is made by then, and held.
curl -sS -H 'Accept-Encoding: gzip' -o /dev/null --max-time 120 "${url}big.wasm" || fail "the fast reader failed"
peak=$(hwm_kib)
grown=$(( peak - base ))
echo "peak RSS (VmHWM) ${base} KiB before, ${peak} KiB with four slow readers of a $((size >> 20)) MiB file: +${grown} KiB"
coding=$(tr -d '\r' <"$tmp/head1" | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')
echo "sent as: ${coding:-identity}"
[ "$grown" -lt $((32 << 10)) ] || fail "peak RSS grew by ${grown} KiB under --cache-mb 1"

# The readers are let go at full speed; every body is the file, whichever coding it came in.
for c in "${clients[@]}"; do kill "$c" 2>/dev/null; done
clients=()
body=$(curl -sS -H 'Accept-Encoding: gzip' -D "$tmp/h" "${url}big.wasm" --compressed -o "$tmp/again" -w '%{http_code}')
[ "$body" = 200 ] || fail "GET after the readers: $body"
cmp -s "$tmp/again" "$tmp/root/big.wasm" || fail "the body is not the file"
echo "ok"
