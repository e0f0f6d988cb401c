#!/usr/bin/env bash
# Memory goes back after a big transient (docs/design.md#memory), against the real binary: the
# serve-time module reader reads a broken module whole (to say where it breaks), 24 MiB each,
# one module after the other. glibc's default kept the second buffer in its heap for good (it
# raises its mmap threshold to the largest block freed); wasmdev makes big blocks their own
# mappings and gives back what bursts free, so the server's private memory (RssAnon) returns
# near where it was. What a burst of 200 connections took goes back too, once they close.
# Usage: memory_given_back.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
[ -r /proc/self/status ] || { echo "skipped: no /proc/PID/status to read the server's RSS"; exit 77; }

mkdir "$tmp/root"
# A module header, then a section that claims more bytes than the file has: read whole.
for m in a b; do
  { printf '\0asm\1\0\0\0\1\377\377\377\377\17'; head -c $((24 << 20)) /dev/zero; } >"$tmp/root/$m.wasm"
done
serve_in_background "$tmp/root" --no-compress --quiet

python3 - "$port" "$pid" <<'PY' || exit 1
import json, re, socket, sys, time, urllib.request

port, pid = int(sys.argv[1]), int(sys.argv[2])
MiB = 1 << 20

def anon():
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"RssAnon:\s+(\d+) kB", f.read()).group(1)) * 1024

def get(path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        return r.read()

def until(what, pred, secs):
    """A bounded poll of the server's own state (there is no event for 'memory went back')."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        if pred(): return True
        time.sleep(0.05)
    print(f"FAIL: {what} within {secs} s"); sys.exit(1)

def read_by_server(name):
    doc = json.loads(get("/__wasmdev/modules.json"))
    return any(m.get("module") == name and not m.get("pending") for m in doc["modules"])

base = anon()
for name in ("a.wasm", "b.wasm"):
    get("/" + name)
    until(f"the server reads {name}", lambda: read_by_server(name), 60)
ok = lambda: anon() <= base + 8 * MiB
until(f"private memory back within 8 MiB of {base // 1024} KiB after two 24 MiB modules were read "
      f"(now {anon() // 1024} KiB)", ok, 20)

def stat(key):
    return json.loads(get("/__wasmdev/stats.json"))["memory"][key]

# A burst: 200 connections, each answered and held, then all closed at once.
a0 = anon()
socks = []
for _ in range(200):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET /__wasmdev/stats.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
    socks.append(s)
for s in socks:
    s.recv(65536)
a1 = anon()
for s in socks:
    s.close()
print(f"RssAnon {a0 // 1024} KiB before the burst, {a1 // 1024} KiB with 200 connections")
if a1 - a0 >= MiB:
    until(f"half of what 200 connections took given back (now {anon() // 1024} KiB)",
          lambda: anon() <= a0 + (a1 - a0) // 2, 20)
print(f"ok: RssAnon {base // 1024} KiB at start, {anon() // 1024} KiB at the end; give_backs {stat('give_backs')}")
PY
