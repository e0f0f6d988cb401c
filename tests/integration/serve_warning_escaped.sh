#!/usr/bin/env bash
# A serve-time warning about a request is read in a terminal like the access line: the raw
# request target in it is escaped the same way (C0 as \xhh, C1 and bidi controls as \u{hhhh}),
# so a client cannot reorder or hide text in the developer's terminal. The request asks for a
# missing .wasm (one warning line) with U+202E (RIGHT-TO-LEFT OVERRIDE) and U+0085 (NEL, a C1
# control) raw in its target. Usage: serve_warning_escaped.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"

mkdir "$tmp/root"
"$bin" serve "$tmp/root" --port 0 --no-reload >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
port=${url##*:}; port=${port%/}

python3 - "$port" <<'PY' || fail "the request with a raw bidi target was not answered"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(b"GET /evil\xe2\x80\xaetxt.\xc2\x85x.wasm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
got = b""
while chunk := s.recv(65536):
    got += chunk
sys.exit(0 if got.startswith(b"HTTP/1.1 404") else 1)
PY
wait_for_match 'was requested that does not exist' 60 "$tmp/out.log" "$tmp/err.log" >/dev/null \
  || fail "no warning line for the missing .wasm: $(cat "$tmp/out.log" "$tmp/err.log")"
# The access line is written by another thread: wait for it too, then compare both.
wait_for_match '" 404 ' 60 "$tmp/out.log" >/dev/null || fail "no access line: $(cat "$tmp/out.log")"
warning=$(grep -h 'was requested that does not exist' "$tmp/out.log" "$tmp/err.log")
access=$(grep -h '" 404 ' "$tmp/out.log")
if LC_ALL=C grep -q $'\xe2\x80\xae\|\xc2\x85' <<<"$warning$access"; then
  fail "a raw bidi or C1 control reached the log: $(printf '%q' "$warning")"
fi
want='/evil\u{202e}txt.\u{0085}x.wasm'
grep -qF "$want a .wasm was requested" <<<"$warning" || fail "the warning does not show the target as $want: $(printf '%q' "$warning")"
grep -qF "\"GET $want\"" <<<"$access" || fail "the access line does not show the target as $want: $(printf '%q' "$access")"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "OK: the warning line escapes the target like the access line: $warning"
