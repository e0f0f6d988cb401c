#!/usr/bin/env bash
# The access log (docs/design.md#logging) records what was actually sent — status, body bytes, coding, and
# "cut-short" for a response the client did not get whole — and escapes a target that would
# act on the terminal showing it. Usage: access_log.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- log:"; cat "$tmp/out.log"; exit 1; }

mkdir "$tmp/root"
python3 -c "print('let answer = 42; // a line of a build\n' * 4000, end='')" > "$tmp/root/app.js"
head -c 8000000 /dev/urandom > "$tmp/root/big.bin"
"$bin" serve "$tmp/root" --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/err.log")"
port=${url##*:}; port=${port%/}

python3 - "$port" <<'PY' || fail "the client script failed"
import socket, sys
port = int(sys.argv[1])
def exchange(raw, read_all=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(raw)
    data = b""
    while read_all:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    s.close()
    return data
# A target with a C1 CSI, a right-to-left override and invalid UTF-8 (the parser refuses
# ASCII controls such as ESC before anything is logged).
exchange(b"GET /a\xc2\x9b[31m\xe2\x80\xaegpj\xff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
exchange(b"HEAD /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n")
# A client that reads nothing of 8 MB and hangs up: the response is cut short.
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
s.recv(100)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
s.close()  # RST
PY
etag=$(curl -sS -m 20 -D - -o /dev/null -H 'Accept-Encoding: gzip' "${url}app.js" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
curl -sS -m 20 -o /dev/null -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "${url}app.js"

# Lines are written in batches: wait (bounded) for the last one.
wait_for_match '"GET /app.js" 304' 60 "$tmp/out.log" >/dev/null || fail "no access line for the 304"
wait_for_match '"GET /big.bin"' 60 "$tmp/out.log" >/dev/null || fail "no access line for /big.bin"
grep -q $'\x1b' "$tmp/out.log" && fail "a raw ESC reached the log"
# Bytes, not characters: in a UTF-8 locale grep -P reads \xe2 as U+00E2 and never matches.
LC_ALL=C grep -qP '\xe2\x80\xae|\xc2\x9b' "$tmp/out.log" && fail "a raw U+202E or U+009B reached the log"
grep -qF '"GET /a\u{009b}[31m\u{202e}gpj\xff" 404' "$tmp/out.log" || fail "the hostile target is not escaped as expected"
grep -qE '"HEAD /app.js" 200 0 gzip ' "$tmp/out.log" || fail "the HEAD is not logged with 0 bytes and its coding"
grep -qE '"GET /app.js" 304 0 gzip ' "$tmp/out.log" || fail "the 304 is not logged with the coding it validates"
line=$(grep '"GET /big.bin"' "$tmp/out.log")
case "$line" in
  *" 200 8000000 identity "*) fail "the cut response is logged as if whole: $line" ;;
  *cut-short*) ;;
  *) fail "the cut response is not marked cut-short: $line" ;;
esac
echo "ok"
