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
