#!/usr/bin/env python3
"""HTTPS: wasmdev --tls beside nginx with TLS, on the fixture and with the helpers of
bench.py. Both servers use the same certificate (wasmdev's generated ECDSA P-256 leaf), TLS
1.2-1.3 with OpenSSL's default ciphers (so wrk negotiates the same suite with both: printed),
and session resumption on (nginx: ssl_session_cache shared + tickets; wasmdev: its cache and
tickets). Measures small-file keep-alive req/s (64 connections, wrk rotating over 500 files)
and python.wasm identity MB/s (4 connections), each with server CPU, in alternation, and
prints medians and wasmdev/nginx ratios. With --binary given more than once, each binary
(labelled by --label, or by its file name) runs in the same alternation, so an A/B of two
builds shares the machine's noise. Run through bench/run_tls.sh.
"""
import argparse, os, shutil, ssl, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import CLIENT_CORE, Server, free_port, log, machine_busy_seconds, make_fixture, wrk, WRK_LUA  # noqa: E402


def nginx_tls_conf(tmp, root, port, cert, key):
    headers = "\n".join(f'        add_header {n} "{v}" always;' for n, v in bench.POLICY)
    return bench.nginx_http(tmp, f"""    server {{
        listen 127.0.0.1:{port} ssl backlog=4096;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:SSL:10m;
        ssl_session_tickets on;
        root {root};
{headers}
    }}""")


class TlsServer(Server):
    """A bench.Server that answers over HTTPS (started when GET /python.html gives 200)."""
    def __init__(self, name, argv, port, pid_file=None):
        super().__init__(name, argv, port, pid_file)
        self.url = f"https://127.0.0.1:{port}/"

    def start(self):
        fd, self.logpath = tempfile.mkstemp(prefix=f"wasmdev-bench-{self.name}-", suffix=".log")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(["taskset", "-c", bench.SERVER_CORE] + self.argv, stdout=fd, stderr=fd,
                                     stdin=subprocess.DEVNULL, preexec_fn=bench._child_setup)
        os.close(fd)
        ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
        import http.client
        while True:
            try:
                c = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=1, context=ctx)
                c.request("GET", "/python.html"); r = c.getresponse(); r.read(); c.close()
                if r.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} at start: {self.tail()}")
            if time.perf_counter() - t0 > 10:
                raise RuntimeError(f"{self.name} did not answer within 10 s: {self.tail()}")
            time.sleep(0.005)


def negotiated(port):
    """'TLSv1.3 TLS_AES_256_GCM_SHA384' as OpenSSL's client (wrk's library) negotiates it."""
    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-brief"], input="",
                       capture_output=True, text=True, timeout=10)
    out = p.stdout + p.stderr
    proto = next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Protocol version")), "?")
    cipher = next((l.split(":", 1)[1].strip() for l in out.splitlines() if l.startswith("Ciphersuite")), "?")
    return f"{proto} {cipher}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", action="append", help="wasmdev binary (default build/wasmdev); repeat for an A/B")
    ap.add_argument("--label", action="append", default=[], help="a name for each --binary, in order")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=3, help="seconds per wrk run (default 3)")
    a = ap.parse_args()
    binaries = a.binary or [os.path.join(bench.REPO, "build", "wasmdev")]
    if len(binaries) == 1:
        labels = a.label[:1] or ["wasmdev"]
    else:
        labels = a.label + [os.path.basename(b) for b in binaries[len(a.label):]]
        if len(set(labels)) != len(labels):
            sys.exit("bench: give each --binary a distinct --label")
    for tool in ("wrk", "taskset", "openssl", "nginx"):
        if not shutil.which(tool) and not (tool == "nginx" and os.path.exists("/usr/sbin/nginx")):
            sys.exit(f"bench: {tool} is missing (scripts/setup.sh --test)")
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    tmp = tempfile.mkdtemp(prefix="wasmdev-bench-tls-")
    servers = {}
    try:
        root = os.path.join(tmp, "site"); os.makedirs(root)
        log("bench: building the fixture ...")
        make_fixture(root)
        script = os.path.join(tmp, "small.lua"); open(script, "w").write(WRK_LUA)
        os.environ["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
        for i, (label, path) in enumerate(zip(labels, binaries)):
            binary = os.path.join(tmp, f"wasmdev-{i}"); shutil.copy2(path, binary)
            pw = free_port()
            servers[label] = TlsServer(label, [binary, "serve", root, "--tls", "--port", str(pw), "--quiet",
                                               "--threads", "1"], pw)
        first = servers[labels[0]]
        first.start(); first.stop()  # creates the CA and the leaf nginx (and the other binaries) use too
        pn = free_port()
        tls_dir = os.path.join(tmp, "cache", "wasmdev", "tls")
        for d in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
            os.makedirs(os.path.join(tmp, d), exist_ok=True)
        open(os.path.join(tmp, "nginx.conf"), "w").write(
            nginx_tls_conf(tmp, root, pn, os.path.join(tls_dir, "localhost.pem"), os.path.join(tls_dir, "localhost-key.pem")))
        servers["nginx"] = TlsServer("nginx", [nginx_bin, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf")], pn,
                                     os.path.join(tmp, "nginx.pid"))
        res = {k: {} for k in servers}
        busy = {k: [] for k in servers}
        suites = {}
        for rnd in range(a.rounds):
            # Every other round in reverse, so no server always runs first (this VM drifts).
            for name, s in (list(servers.items()) if rnd % 2 == 0 else list(servers.items())[::-1]):
                log(f"bench: round {rnd + 1}/{a.rounds}: {name}")
                s.start()
                suites[name] = negotiated(s.port)
                for metric, url, conns, kw in (("small64", s.url, 64, {"script": script}),
                                               ("wasm_identity", s.url + "python.wasm", 4, {})):
                    cpu0, m0 = s.cpu_seconds(), machine_busy_seconds()
                    w = wrk(url, conns, a.duration, **kw)
                    cpu, m = s.cpu_seconds() - cpu0, machine_busy_seconds() - m0
                    if w["non2xx"] or (w["errors"] and any(ch in w["errors"] for ch in "123456789")):
                        log(f"bench: {name} {metric}: errors: {w['non2xx']} non-2xx, {w['errors']}")
                    foreign = max(0.0, (m - cpu - w["client_cpu"]) / w["secs"])
                    busy[name].append(f"{metric} {cpu / w['secs']:.0%}/{w['client_cpu'] / w['secs']:.0%}/{foreign:.0%}")
                    if metric == "small64":
                        res[name].setdefault("small64", []).append(w["rps"])
                        res[name].setdefault("cpu_us_per_req", []).append(cpu * 1e6 / w["reqs"])
                    else:
                        res[name].setdefault("wasm_identity", []).append(w["mbps"])
                        res[name].setdefault("cpu_ms_per_gb", []).append(cpu * 1e3 / (w["bytes"] / 1e9))
                s.stop()
        rows = [("HTTPS small files, keep-alive, 64 conns (req/s)", "small64", "higher"),
                ("server CPU per HTTPS small-file request (µs)", "cpu_us_per_req", "lower"),
                ("HTTPS python.wasm identity, 4 conns (MB/s)", "wasm_identity", "higher"),
                ("server CPU per GB sent over HTTPS (ms)", "cpu_ms_per_gb", "lower")]
        print(f"# HTTPS: wasmdev --tls beside nginx with TLS\n\nRun {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC: "
              f"`bench/run_tls.sh{''.join(' ' + x for x in sys.argv[1:])}`.\n")
        print(f"HTTPS, medians of {a.rounds} round(s) of {a.duration} s per wrk run, servers alternating; "
              f"load average {open('/proc/loadavg').read().split()[0]} at the end.\n")
        cols = labels + ["nginx"]
        print("| metric | " + " | ".join(cols) + " | " + " | ".join(f"{w}/nginx" for w in labels) + " | better |")
        print("|---|" + "---:|" * (len(cols) + len(labels)) + "---|")
        for label, key, better in rows:
            med = {n: statistics.median(res[n][key]) for n in cols}
            print(f"| {label} | " + " | ".join(bench.fmt(med[n]) for n in cols) + " | "
                  + " | ".join(f"{med[w] / med['nginx']:.2f}" for w in labels) + f" | {better} |")
        print("\n- Negotiated by OpenSSL's client (wrk's library): "
              + ", ".join(f"{n} {suites[n]}" for n in cols) + "; the same ECDSA P-256 certificate for all.")
        for name in servers:
            print(f"- {name} per round: " + "; ".join(f"{k} " + "/".join(bench.fmt(v) for v in vs) for k, vs in res[name].items()))
            print(f"- {name}, % of a core used by server/wrk/others: " + ", ".join(busy[name]))
    finally:
        for s in servers.values():
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
