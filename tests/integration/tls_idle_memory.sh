#!/usr/bin/env bash
# An idle HTTPS keep-alive connection holds no write buffer (docs/https.md, "Memory per
# connection"): 200 connections, each answered once (a 2.4 KB page) and left open as a
# browser leaves its six, may grow the server's private memory (RssAnon) by at most 28 KiB
# each: the socket, OpenSSL's per-connection state (its record buffers are released while
# idle, SSL_MODE_RELEASE_BUFFERS) and the session's read buffer, about 23 KiB measured. When
# each connection kept its 64 KiB gather buffer after its first response, it was 39 KiB.
# Usage: tls_idle_memory.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
[ -r /proc/self/status ] || { echo "SKIP: no /proc/PID/status to read the server's RSS"; exit 77; }
export XDG_CACHE_HOME="$tmp/cache"

mkdir "$tmp/root"
python3 -c 'print("<html><head></head><body>" + "x" * 2400 + "</body></html>")' >"$tmp/root/page.html"
serve_in_background "$tmp/root" --tls --quiet --threads 1

python3 - "$port" "$pid" <<'PY' || exit 1
import re, socket, ssl, sys
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), 200

def anon_kib():
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"RssAnon:\s+(\d+) kB", f.read()).group(1))

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE

def answered(s):
    """Reads one whole response (by Content-Length) from s, leaving the connection open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk: return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk: return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")

def connect():
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30), server_hostname="localhost")
    s.sendall(b"GET /page.html HTTP/1.1\r\nHost: localhost\r\n\r\n")
    if not answered(s):
        print("FAIL: a request over TLS was not answered 200"); sys.exit(1)
    return s

connect().close()  # the first handshake and response warm what every connection shares
before = anon_kib()
socks = [connect() for _ in range(n)]
after = anon_kib()
each = (after - before) / n
print(f"RssAnon {before} KiB before, {after} KiB with {n} idle HTTPS connections: {each:.1f} KiB each")
if each > 28:
    print(f"FAIL: an idle HTTPS keep-alive connection holds {each:.1f} KiB, want at most 28"); sys.exit(1)
for s in socks: s.close()
PY
echo "PASS: idle HTTPS keep-alive connections hold no write buffer"
