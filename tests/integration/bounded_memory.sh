#!/usr/bin/env bash
# Bounded memory per connection (docs/design.md#limits), against the real binary: a chunk extension, a
# chunk-size line or trailers that never end are refused with a 4xx instead of growing the
# read buffer, a GET body is read and dropped (the GET still gets its file), trailer fields
# never reach the handler (a trailer Range: is not a 206), an HTTP/1.0 request with
# Transfer-Encoding is answered and then closed (RFC 9112 §6.1). The server's peak RSS
# (VmHWM in /proc/PID/status) may not grow by more than 8 MiB while four hostile connections
# send 36 MiB together: each connection may hold its read buffer (64 KiB), its head's fields
# and a coroutine frame, well under 1 MiB for four; the rest is allocator slack.
# Usage: bounded_memory.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
[ -r /proc/self/status ] || { echo "skipped: no /proc/PID/status to read the server's RSS"; exit 77; }

mkdir "$tmp/root"
printf 'hello, bounded world\n' > "$tmp/root/file.txt"
"$bin" serve "$tmp/root" --port 0 --no-compress >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_url "$tmp/out.log")
[ -n "$url" ] || fail "no URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
port=${url##*:}; port=${port%/}

python3 - "$port" "$pid" <<'PY' || exit 1
import re, select, socket, sys, threading

port, pid = int(sys.argv[1]), int(sys.argv[2])
errors = []
def fail(msg): errors.append(msg); print("FAIL: " + msg)

def hwm_kib():
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+) kB", f.read()).group(1))

def read_response(s, head_only=False):
    """One response: (status, headers dict, body). Reads by Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk: return None, {}, data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
    want = 0 if head_only else int(headers.get("content-length", "0"))
    while len(rest) < want:
        chunk = s.recv(65536)
        if not chunk: break
        rest += chunk
    return status, headers, rest

def hostile(head, pieces, total):
    """Sends head, then `pieces()` until `total` bytes or until the server answers; returns
    the response. Stops sending as soon as the socket is readable (the server's answer)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(head)
    s.setblocking(False)
    sent, buf = 0, b""
    while sent < total or buf:
        if not buf and sent < total:
            buf = pieces(); sent += len(buf)
        r, w, _ = select.select([s], [s], [], 30)
        if r: break
        if not w: break
        try: buf = buf[s.send(buf):]
        except (BrokenPipeError, ConnectionResetError): break
    s.setblocking(True)
    try: return read_response(s)
    except (ConnectionResetError, socket.timeout): return None, {}, b""
    finally: s.close()

MiB = 1 << 20
ext = lambda: b"a" * 65536
chunked = b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
cases = {
    "a 4 MiB chunk extension": (chunked + b"1;ext=", ext, 4 * MiB),
    "4 MiB of trailers": (chunked + b"0\r\n", lambda: b"X-Pad: " + b"a" * 65000 + b"\r\n", 4 * MiB),
    "a chunk size with 1 MiB of leading zeros": (chunked, lambda: b"0" * 65536, 1 * MiB),
}
# The same, four at once and bigger, for the peak RSS.
base = hwm_kib()
results = {}
def run(name, args):
    results[name] = hostile(*args)
threads = [threading.Thread(target=run, args=(n, a)) for n, a in cases.items()]
threads.append(threading.Thread(target=run, args=("a 24 MiB chunk extension", (chunked + b"1;e=", ext, 24 * MiB))))
for t in threads: t.start()
for t in threads: t.join()
for name, (status, _, _) in results.items():
    if status is None or not 400 <= status < 500:
        fail(f"{name}: answered {status}, not a 4xx")
grown = hwm_kib() - base
print(f"peak RSS (VmHWM) {base} KiB before, {base + grown} KiB after four hostile connections (36 MiB sent): +{grown} KiB")
if grown > 8 * 1024: fail(f"peak RSS grew by {grown} KiB (> 8 MiB) under four hostile connections")

# A GET with a 900 KiB body: the body is dropped, the file is served, the connection lives on.
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 921600\r\n\r\n" + b"b" * 921600)
status, headers, body = read_response(s)
if status != 200 or body != b"hello, bounded world\n": fail(f"GET with a 900 KiB body: {status} {body[:40]!r}")
s.sendall(b"GET /file.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
status, _, _ = read_response(s)
if status != 200: fail(f"the request after a 900 KiB GET body: {status}")
s.close()

# A trailer Range: is not a header: the whole file, 200.
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(chunked + b"0\r\nRange: bytes=0-0\r\n\r\n")
status, headers, body = read_response(s)
if status != 200 or body != b"hello, bounded world\n": fail(f"a trailer Range: answered {status} {body!r}")
s.close()

# HTTP/1.0 with Transfer-Encoding: the response, then the close (even with keep-alive asked).
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"GET /file.txt HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
status, headers, body = read_response(s)
if status != 200: fail(f"HTTP/1.0 with Transfer-Encoding: {status}")
try: rest = s.recv(1)
except socket.timeout: rest = b"(still open after 10 s)"
if rest != b"": fail(f"HTTP/1.0 with Transfer-Encoding: the connection was not closed after the response: {rest!r}")
s.close()
sys.exit(1 if errors else 0)
PY
kill -0 "$pid" || fail "the server died"
echo "ok"
