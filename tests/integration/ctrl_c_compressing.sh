#!/usr/bin/env bash
# Ctrl-C with compressions in flight stops the server within a second or two (docs/design.md#shutdown;
# it took 27 s): running compressions stop at their next block, queued ones are dropped,
# and the sessions waiting on them close instead of draining. Three cold 3 GiB files (sparse:
# no disk used) are being sent gzip-compressed when SIGINT arrives.
# Usage: ctrl_c_compressing.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"

mkdir "$tmp/root"
for i in 1 2 3; do truncate -s 3G "$tmp/root/big$i.wasm"; done
# --cache-mb: room in the bound for the three bodies (docs/design.md#compression-bound), or they go uncompressed.
"$bin" serve "$tmp/root" --port 0 --quiet --cache-mb 16384 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"

# Three requests: as many compress at once as the pool has threads, the rest queue.
for i in 1 2 3; do
  curl -sS -H 'Accept-Encoding: gzip' -D "$tmp/head$i" -o /dev/null "${url}big$i.wasm" 2>/dev/null &
  clients+=($!)
done
# Compression is under way once a head is out (the head waits for the first compressed bytes).
under_way=
if wait_for_match "^HTTP/1.1 200" 60 "$tmp/head1" "$tmp/head2" "$tmp/head3" >/dev/null; then
  under_way=$(grep -l '^HTTP/1.1 200' "$tmp"/head? 2>/dev/null | head -n1)
fi
[ -n "$under_way" ] || fail "no response head within 60 s"
grep -qi '^content-encoding: gzip' "$under_way" || fail "not a gzip head: $(cat "$under_way")"

started=$(date +%s%N)
kill -INT "$pid"
timeout 3 tail --pid="$pid" -f /dev/null || fail "still running 3 s after SIGINT"
wait "$pid"; rc=$?
pid=
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "stopped ${elapsed_ms} ms after SIGINT (exit $rc)"
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGINT: $(cat "$tmp/err.log")"
echo "ok"
