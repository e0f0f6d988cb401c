#!/usr/bin/env bash
# Ctrl-C with compressions in flight stops the server within a second (docs/design.md#shutdown), also with
# trace logging on and under strace: the compressions running and the one still queued all
# end at once, and the sessions streaming them close. Three cold 3 GiB files (sparse: no disk
# used) are being fetched gzip-compressed when SIGINT arrives; more than the pool has threads,
# so one waits in the queue. Usage: ctrl_c_within_a_second.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
limit_ms=1000

mkdir "$tmp/root"
for i in 1 2 3; do truncate -s 3G "$tmp/root/big$i.wasm"; done

# run_once LABEL PREFIX SERVE_FLAG: serve (through PREFIX, e.g. strace), start three
# compressions, SIGINT, print the time to exit.
run_once() {
  local label=$1 prefix=$2 flag=$3
  rm -f "$tmp"/head? "$tmp/out.log"
  # The URL line goes to stdout; trace logging goes to stderr, kept apart.
  # --cache-mb: room in the bound for the three bodies (docs/design.md#compression-bound), or they go uncompressed.
  $prefix "$bin" serve "$tmp/root" --port 0 --cache-mb 16384 $flag >"$tmp/out.log" 2>"$tmp/err.log" &
  pid=$!
  local url
  url=$(wait_for_url "$tmp/out.log")
  [ -n "$url" ] || fail "$label: no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
  clients=()
  for i in 1 2 3; do
    curl -sS -H 'Accept-Encoding: gzip' -D "$tmp/head$i" -o /dev/null "${url}big$i.wasm" 2>/dev/null &
    clients+=($!)
  done
  # Compression is under way once a head is out (the head waits for the first compressed bytes).
  wait_for_match "^HTTP/1.1 200" 60 "$tmp/head1" "$tmp/head2" "$tmp/head3" >/dev/null \
    || fail "$label: no response head within 60 s"
  local under_way
  under_way=$(grep -l '^HTTP/1.1 200' "$tmp"/head? 2>/dev/null | head -n1)
  grep -qi '^content-encoding: gzip' "$under_way" || fail "$label: not a gzip head: $(cat "$under_way")"
  local started rc elapsed_ms
  started=$(date +%s%N)
  # The server itself (strace's child when traced), as a terminal's Ctrl-C would reach it.
  local target=$pid
  [ "$label" = "under strace" ] && target=$(pgrep -P "$pid" -x wasmdev)
  kill -INT "$target"
  # wait returns the moment the server exits (tail --pid would look only once a second); the
  # watchdog is a deadline, not a synchronisation.
  (sleep 10 && kill -9 "$pid" 2>/dev/null) &
  local watchdog=$!
  wait "$pid"; rc=$?
  elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  kill "$watchdog" 2>/dev/null
  pid=
  for c in "${clients[@]}"; do kill "$c" 2>/dev/null; done
  echo "$label: stopped ${elapsed_ms} ms after SIGINT (exit $rc)"
  [ "$rc" -eq 0 ] || fail "$label: exit status $rc after SIGINT: $(tail -n 5 "$tmp/err.log")"
  [ "$elapsed_ms" -lt "$limit_ms" ] || fail "$label: took ${elapsed_ms} ms, more than ${limit_ms} ms"
}

run_once "plain" "" "--quiet"
run_once "trace logging" "" "--log-level trace"
if command -v strace >/dev/null; then
  run_once "under strace" "strace -f -o /dev/null" "--quiet"
else
  echo "strace not installed: the traced run is skipped"
fi
echo "ok"
