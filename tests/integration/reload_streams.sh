#!/usr/bin/env bash
# Open tabs' event streams (live reload) do not count against the connection limit and
# never keep Ctrl-C waiting: with --max-connections 2 and four streams open, a plain request
# is still answered at once, every stream hears a change, and SIGINT stops the server within
# a second, the streams ending with it; a closed tab's stream ends at once. Also: `serve` without --reload injects nothing.
# Usage: reload_streams.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

mkdir "$tmp/root"
printf '<!doctype html><html><head><title>t</title></head><body></body></html>\n' >"$tmp/root/index.html"

# Without --reload: the page is the file, byte for byte.
"$bin" serve "$tmp/root" --port 0 --quiet >"$tmp/plain.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/plain.log") || fail "no URL line: $(cat "$tmp/plain.log")"
curl -sS "$url" | cmp -s - "$tmp/root/index.html" || fail "serve without --reload changed the page"
kill "$pid"; wait_for_exit "$pid" 20; [ $? != 124 ] || fail "still running 20 s after SIGTERM"; pid=

"$bin" serve "$tmp/root" --port 0 --reload --max-connections 2 >"$tmp/out.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/out.log") || fail "no URL line: $(cat "$tmp/out.log")"
token=$(curl -sS "$url" | grep -oE 'token=[0-9a-f]{32}' | head -n1)
[ -n "$token" ] || fail "no token in the page: $(curl -sS "$url")"
for i in 1 2 3 4; do
  curl -sSN "${url}__wasmdev/events?${token}" >"$tmp/stream$i" 2>/dev/null &
  clients+=($!)
done
for i in 1 2 3 4; do
  wait_for_match 'wasmdev live reload' 10 "$tmp/stream$i" >/dev/null || fail "stream $i did not open"
done
# Four streams open, limit 2: a request is answered at once, not queued behind them.
code=$(curl -sS -m 5 -o /dev/null -w '%{http_code}' "${url}index.html?wasmdev-reload=off") || fail "a request timed out with 4 streams open"
[ "$code" = 200 ] || fail "a request with 4 streams open got $code"
echo changed >"$tmp/root/app.js"
for i in 1 2 3 4; do
  wait_for_match '"/app.js"' 10 "$tmp/stream$i" >/dev/null || fail "stream $i heard no change: $(cat "$tmp/stream$i")"
done

# The number at a dotted path of the JSON document on stdin (stats.json), parsed, not grepped.
stat_at() { python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."): v = v[k]
print(v)' "$1"; }

# A tab that closes ends its stream at once (its FIN), not at the next heartbeat (20 s): the
# stream's access line is written when it ends.
stats=$(curl -sS "${url}__wasmdev/stats.json")
[ "$(printf '%s' "$stats" | stat_at reload.event_streams)" = 4 ] || fail "stats.json does not count 4 streams: $stats"
kill "${clients[0]}"
wait_for_match '"GET /__wasmdev/events\?token=[0-9a-f]+" 200' 5 "$tmp/out.log" >/dev/null \
  || fail "a closed tab's stream was still open 5 s later: $(cat "$tmp/out.log")"
stats=$(curl -sS "${url}__wasmdev/stats.json")
[ "$(printf '%s' "$stats" | stat_at reload.event_streams)" = 3 ] || fail "stats.json after one tab closed: $stats"

started=$(date +%s%N)
kill -INT "$pid"
timeout 3 tail --pid="$pid" -f /dev/null || fail "still running 3 s after SIGINT with 4 streams open"
wait "$pid"; rc=$?
pid=
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "stopped after SIGINT with 4 event streams open, seen within ${elapsed_ms} ms (tail --pid looks once a second) (exit $rc)"
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGINT"
echo "ok"
