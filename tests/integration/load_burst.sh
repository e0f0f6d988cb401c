#!/usr/bin/env bash
# A burst of connections over the connection limit is served, late but correct (docs/design.md#connection-limit):
# at the limit the server stops accepting and the listen backlog holds the rest, instead of
# answering 503. The limit is made small with the hidden --max-connections; 600 clients
# connect at once, each sends one GET for a small file, and every one must get a 200.
# Usage: load_burst.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ "$(ulimit -n)" -ge 700 ] || ulimit -n 4096 2>/dev/null || { echo "skip: ulimit -n below 700"; exit 77; }

mkdir "$tmp/root"
printf 'export const answer = 42;\n' > "$tmp/root/small.js"
"$bin" serve "$tmp/root" --port 0 --quiet --max-connections 8 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
port=${url##*:}; port=${port%/}

python3 - "$port" <<'PY' || fail "not every client of the burst got a 200"
import collections, selectors, socket, sys, time
port, n = int(sys.argv[1]), 600
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
for s in socks:
    s.sendall(b"GET /small.js HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
sel = selectors.DefaultSelector()
got = {}
for s in socks:
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
    got[s] = b""
deadline = time.monotonic() + 60
while sel.get_map() and time.monotonic() < deadline:
    for key, _ in sel.select(timeout=1):
        try:
            data = key.fileobj.recv(65536)
        except ConnectionError:
            data = b""
        if data:
            got[key.fileobj] += data
        else:
            sel.unregister(key.fileobj)
statuses = collections.Counter(b.split(b"\r\n", 1)[0].decode(errors="replace") or "(nothing)" for b in got.values())
print(dict(statuses))
ok = statuses.get("HTTP/1.1 200 OK", 0)
sys.exit(0 if ok == n and all(b.endswith(b"answer = 42;\n") for b in got.values()) else 1)
PY
kill -0 "$pid" || fail "the server died"
echo "ok"
