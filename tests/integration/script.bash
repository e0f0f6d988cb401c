# What the integration scripts that start servers and clients share: `bin` (the wasmdev binary
# from $1, absolute), a temp dir `tmp`, `pid` (the server) and `clients` (background clients)
# killed on exit, `fail MESSAGE`, and wait.bash's waits. Source it first:
#   . "$(dirname "$0")/script.bash"
set -u
. "$(dirname "${BASH_SOURCE[0]}")/wait.bash"
bin=$(realpath "$1")
tmp=$(mktemp -d)
pid=
clients=()
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  for c in "${clients[@]}"; do kill "$c" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# serve_in_background ROOT ARGS...: `wasmdev serve ROOT --port 0 ARGS...` with its output in
# $tmp/out.log and $tmp/err.log; sets pid, url and port once it prints its URL line (http or
# https), or fails with what it printed.
serve_in_background() {
  "$bin" serve "$1" --port 0 "${@:2}" >"$tmp/out.log" 2>"$tmp/err.log" &
  pid=$!
  url=$(wait_for_match 'https?://127\.0\.0\.1:[0-9]+/' 60 "$tmp/out.log") \
    || fail "serve $*: no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
  port=${url##*:}; port=${port%/}
}
