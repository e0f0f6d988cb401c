#!/usr/bin/env bash
# Half-open TLS handshakes hold no TLS state (docs/https.md, "Handshakes in progress"):
# 3,000 clients that send the first bytes of a ClientHello and stall may grow the server's
# peak RSS (VmHWM) by at most 64 MiB. Each such connection holds its socket and a few KiB
# of bookkeeping (about 8 MiB for 3,000); when each made its TLS state at its first byte,
# they grew it by 270 MiB. Then an HTTPS request is still answered.
# Usage: tls_half_open.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
[ -r /proc/self/status ] || { echo "SKIP: no /proc/PID/status to read the server's RSS"; exit 77; }
n=3000
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge $((n + 200)) ] || { echo "SKIP: ulimit -Hn below $((n + 200))"; exit 77; }
ulimit -Sn $((n + 200))  # the soft limit only: the server raises its own up to the hard one
export XDG_CACHE_HOME="$tmp/cache"

mkdir "$tmp/root"
echo hello >"$tmp/root/hello.txt"
"$bin" serve "$tmp/root" --tls --port 0 --quiet >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_match 'https://127\.0\.0\.1:[0-9]+/' 60 "$tmp/out.log") || fail "no https URL line: $(cat "$tmp/out.log" "$tmp/err.log")"
port=${url##*:}; port=${port%/}

python3 - "$port" "$pid" "$n" <<'PY' || fail "the half-open clients grew the server's memory, or the server stopped answering"
import json, re, socket, ssl, sys, time
port, pid, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])

def kib(field):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(rf"{field}:\s+(\d+) kB", f.read()).group(1))

def get(path):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=30) as raw, ctx.wrap_socket(raw) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data.decode(errors="replace")

get("/hello.txt")  # one whole handshake first: the baseline has TLS warmed up
base = kib("VmHWM")
clients = []
for _ in range(n):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"\x16\x03\x01\x02\x00\x01")  # a 512-byte ClientHello record's header and first byte
    clients.append(s)
# The server has accepted (and peeked at) every one once it counts them all open: the
# request asking is the last in the listen queue.
stats = get("/__wasmdev/stats.json")
grown = kib("VmHWM") - base
print(f"peak RSS (VmHWM) {base} KiB before, {base + grown} KiB with {n} half-open TLS clients: +{grown} KiB")
print(stats.split("\r\n\r\n", 1)[-1].strip())
ok = True
if json.loads(stats.split("\r\n\r\n", 1)[-1])["connections"]["open"] != n + 1:
    print(f"FAIL: stats.json does not count the {n} clients and the request open"); ok = False
if grown > 64 * 1024:
    print(f"FAIL: peak RSS grew by {grown} KiB (> 64 MiB) under {n} half-open TLS clients"); ok = False
for s in clients:
    s.close()
if "\r\n\r\nhello\n" not in get("/hello.txt"):
    print("FAIL: no answer after the half-open clients left"); ok = False
sys.exit(0 if ok else 1)
PY
kill -0 "$pid" || fail "the server died"
echo "ok"
