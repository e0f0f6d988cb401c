#!/usr/bin/env python3
"""What half-open TLS handshakes cost `wasmdev serve --tls` in memory (docs/https.md).

Starts the server, opens N connections that send only the first bytes of a ClientHello (or
nothing, with --connect-only, or a whole ClientHello, with --whole-hello) and stall, and
prints the server's RSS before, at the peak (VmHWM) and after every client has gone.
Loopback only; every wait is bounded.

    python3 bench/tls_half_open.py build/wasmdev [-n 3000] [--connect-only | --whole-hello]
"""
import argparse, json, os, re, resource, socket, ssl, subprocess, sys, tempfile, time, urllib.request


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(rf"{field}:\s+(\d+) kB", f.read()).group(1))


def stats(url):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with urllib.request.urlopen(url + "__wasmdev/stats.json", context=ctx, timeout=20) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("-n", type=int, default=3000)
    ap.add_argument("--connect-only", action="store_true")
    ap.add_argument("--whole-hello", action="store_true")
    a = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, a.n + 256)), hard))
    tmp = tempfile.mkdtemp(prefix="wasmdev-half-open-")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    srv = subprocess.Popen([a.binary, "serve", tmp, "--tls", "--port", "0", "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        url, deadline = None, time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            m = re.search(r"https://127\.0\.0\.1:\d+/", srv.stdout.readline())
            url = m and m.group(0)
        if not url:
            sys.exit("no URL line")
        port = int(url.rsplit(":", 1)[1].strip("/"))
        stats(url)  # one full handshake and request first: the baseline includes them
        base_rss = status_kib(srv.pid, "VmRSS")
        hello = b"\x16\x03\x01\x02\x00\x01"  # a ClientHello record's header and its first byte
        if a.whole_hello:  # Python's own ClientHello, whole, and then nothing
            out = ssl.MemoryBIO()
            client = ssl.create_default_context().wrap_bio(ssl.MemoryBIO(), out, server_hostname="localhost")
            try:
                client.do_handshake()
            except ssl.SSLWantReadError:
                pass
            hello = out.read()
        socks = []
        for _ in range(a.n):
            s = socket.create_connection(("127.0.0.1", port), timeout=20)
            if not a.connect_only:
                s.sendall(hello)
            socks.append(s)
        # Every client accepted and read, well within the 15 s header deadline that would drop them.
        time.sleep(2)
        # With whole ClientHellos beyond the cap, a request waits behind them for a slot.
        st = {} if a.whole_hello else stats(url)
        peak = status_kib(srv.pid, "VmHWM")
        held = status_kib(srv.pid, "VmRSS")
        for s in socks:
            s.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stats(url)["connections"]["open"] > 1:
            time.sleep(0.2)
        after = status_kib(srv.pid, "VmRSS")
        # The sweeper has freed memory given back every 2 s (docs/design.md#memory): wait for
        # the next give-back, bounded, and read RSS again.
        given = stats(url).get("memory", {}).get("give_backs")
        deadline = time.monotonic() + 10
        while given is not None and time.monotonic() < deadline and stats(url)["memory"]["give_backs"] == given:
            time.sleep(0.2)
        settled = status_kib(srv.pid, "VmRSS")
        kind = "connect-only" if a.connect_only else "whole ClientHello" if a.whole_hello else "partial ClientHello"
        print(f"{a.n} {kind} clients: RSS {base_rss} KiB before, {held} KiB while held (peak {peak} KiB), "
              f"{after} KiB after they left, {settled} KiB after the next give-back; server stats while held: "
              f"{json.dumps(st.get('connections'))} {json.dumps(st.get('tls'))}")
    finally:
        srv.terminate()
        srv.wait(20)


if __name__ == "__main__":
    main()
