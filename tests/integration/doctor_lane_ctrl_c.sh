#!/usr/bin/env bash
# Ctrl-C while serve's doctor lane is reading a module stops the server within a second: the
# lane is not waited for (docs/doctor.md, "While serving"). The module is the 8 MB hostile
# line table of tests/fuzz/hostile_wasm.py, which takes the reader seconds; SIGINT is sent as
# soon as the lane's debug line says it started reading. Also: while it reads, a request for
# /__wasmdev/modules.json is answered at once ("pending"), not after the read.
# Usage: doctor_lane_ctrl_c.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
repo=$2
limit_ms=1000
command -v curl >/dev/null || { echo "skip: curl is not installed"; exit 77; }

mkdir "$tmp/root"
python3 "$repo/tests/fuzz/hostile_wasm.py" line_amplify "$tmp/root/hostile.wasm" || fail "cannot write the module"

"$bin" serve "$tmp/root" --port 0 --log-level debug >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
code=$(curl -s -o /dev/null -w '%{http_code}' "${url}hostile.wasm")
[ "$code" = 200 ] || fail "the module answered $code"
wait_for_match "doctor: reading hostile.wasm" 60 "$tmp/out.log" "$tmp/err.log" >/dev/null \
  || fail "the lane never started reading: $(cat "$tmp/out.log")"

# A request during the read is answered from the cache (curl's own deadline bounds a hang).
json=$(curl -s -m 5 "${url}__wasmdev/modules.json") || fail "modules.json did not answer within 5 s during the read"
printf '%s' "$json" | python3 -c 'import json, sys; sys.exit(0 if any(m.get("pending") is True for m in json.load(sys.stdin)["modules"]) else 1)' || fail "modules.json during the read: $json"

started=$(date +%s%N)
kill -INT "$pid"
# wait returns the moment the server exits; the watchdog is a deadline, not a synchronisation.
(sleep 10 && kill -9 "$pid" 2>/dev/null) &
watchdog=$!
wait "$pid"; rc=$?
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
kill "$watchdog" 2>/dev/null
pid=
grep -q "doctor: diagnosed hostile.wasm" "$tmp/out.log" && echo "note: the read had finished before SIGINT (a fast machine); the bound still held"
[ "$rc" -eq 0 ] || fail "exit status $rc after SIGINT"
[ "$elapsed_ms" -lt "$limit_ms" ] || fail "took ${elapsed_ms} ms after SIGINT, more than ${limit_ms} ms"
echo "OK: stopped ${elapsed_ms} ms after SIGINT while the doctor lane was reading"
