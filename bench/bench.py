#!/usr/bin/env python3
"""wasmdev beside nginx on the work a WASM dev server does (issue #6).

Builds a deterministic fixture shaped like a CPython browser build, starts wasmdev and
nginx (Debian's, as our own process, same headers, sendfile, gzip and a gzip_static
variant) on loopback ports, checks the bytes once per server, then drives both with wrk
in alternation for several rounds and prints medians and wasmdev/nginx ratios.
Servers run pinned to core 0 and wrk to core 1 (on a 2-core machine that keeps the
load generator from stealing the server's CPU, so CPU per request is comparable).
Stdlib only. Run through bench/run.sh.
"""
import argparse, gzip, hashlib, http.client, os, platform, random, re, shutil, signal, socket
import statistics, subprocess, sys, tempfile, time, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
POLICY = [("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Embedder-Policy", "require-corp"),
          ("Cross-Origin-Resource-Policy", "same-site"), ("X-Content-Type-Options", "nosniff"),
          ("Cache-Control", "no-cache")]
CLK = os.sysconf("SC_CLK_TCK")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wasm_like(n, seed):
    """Bytes that gzip about 3:1, like a real python.wasm: opcodes and names among noise."""
    rnd = random.Random(seed)
    words = [b"i32.add ", b"local.get ", b"call $PyObject_", b"memory.grow ", b"_PyEval_EvalFrame", b"br_if "]
    out = bytearray()
    while len(out) < n:
        if rnd.random() < 0.2:
            out += rnd.randbytes(rnd.randint(8, 24))
        else:
            out += rnd.choice(words)
    return bytes(out[:n])


def make_fixture(root):
    os.makedirs(os.path.join(root, "small"), exist_ok=True)
    files = {
        "python.html": b"<!doctype html><title>python</title>\n" + b"<p>REPL page</p>\n" * 110,
        "python.js": wasm_like(250_000, 1),
        "python.wasm": wasm_like(20_000_000, 2),
        "python.data": wasm_like(10_000_000, 3),
    }
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    for i in range(1, 501):
        with open(os.path.join(root, "small", f"f{i:03}.txt"), "wb") as f:
            f.write(wasm_like(200 + (i * 37) % 1800, 100 + i))
    # The gzip_static variant's sidecar, made like a user would (gzip -9 would be fairer to
    # nginx's ratio, the level doesn't change serving speed).
    with open(os.path.join(root, "python.wasm"), "rb") as f, gzip.open(os.path.join(root, "python.wasm.gz"), "wb", 6) as g:
        shutil.copyfileobj(f, g)
    ratio = len(files["python.wasm"]) / len(gzip.compress(files["python.wasm"], 6))
    return ratio


def nginx_conf(tmp, root, port_fly, port_static):
    headers = "\n".join(f"        add_header {n} \"{v}\" always;" for n, v in POLICY)
    def server(port, static):
        return f"""
    server {{
        listen 127.0.0.1:{port} reuseport backlog=4096;
        root {root};
{headers}
        gzip on; gzip_vary on; gzip_min_length 1024;
        gzip_types application/wasm text/javascript application/octet-stream;
        {"gzip_static on;" if static else ""}
        location /small/ {{ autoindex on; }}
    }}"""
    return f"""worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
{"user root;" if os.getuid() == 0 else ""}
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/wasm wasm; text/javascript js mjs; }}
    access_log off;
    sendfile on; tcp_nopush on; keepalive_requests 1000000;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{server(port_fly, False)}
{server(port_static, True)}
}}
"""


class Server:
    def __init__(self, name, argv, url, pid_file=None):
        self.name, self.argv, self.url, self.pid_file = name, argv, url, pid_file
        self.proc = None

    def start(self):
        t0 = time.perf_counter()
        self.log = tempfile.NamedTemporaryFile(prefix=f"wasmdev-bench-{self.name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(["taskset", "-c", "0"] + self.argv, stdout=self.log,
                                     stderr=subprocess.STDOUT, preexec_fn=os.setsid)
        host, port = self.url.split("//")[1].rstrip("/").split(":")
        while True:  # time from process start to the first answered request
            try:
                c = http.client.HTTPConnection(host, int(port), timeout=1)
                c.request("GET", "/python.html"); r = c.getresponse(); r.read(); c.close()
                if r.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            if time.perf_counter() - t0 > 10:
                raise RuntimeError(f"{self.name} did not answer within 10 s")
            time.sleep(0.0005)

    def pid(self):
        if self.pid_file:  # nginx: the worker does the work
            master = int(open(self.pid_file).read())
            kids = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
            return int(kids[0]) if kids else master
        return self.proc.pid

    def cpu_seconds(self):
        f = open(f"/proc/{self.pid()}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / CLK

    def peak_rss_mib(self):
        for line in open(f"/proc/{self.pid()}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; its log: {self.log.name}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if self.pid_file and os.path.exists(self.pid_file):
            try:
                os.kill(int(open(self.pid_file).read()), signal.SIGTERM)
            except (OSError, ValueError):
                pass
            time.sleep(0.2)


def fetch(url, headers=None):
    host, rest = url.split("//")[1].split("/", 1)
    h, p = host.split(":")
    c = http.client.HTTPConnection(h, int(p), timeout=30)
    c.request("GET", "/" + rest, headers=headers or {})
    r = c.getresponse(); body = r.read(); c.close()
    return r, body


def check_bytes(server, root):
    for name in ("python.wasm", "python.js", "python.data", "small/f001.txt"):
        r, body = fetch(server.url + name)
        want = open(os.path.join(root, name), "rb").read()
        if hashlib.sha256(body).digest() != hashlib.sha256(want).digest():
            raise RuntimeError(f"{server.name}: {name} identity bytes differ")
    r, body = fetch(server.url + "python.wasm", {"Accept-Encoding": "gzip"})
    if r.getheader("Content-Encoding") != "gzip":
        return "no gzip"
    if gzip.decompress(body) != open(os.path.join(root, "python.wasm"), "rb").read():
        raise RuntimeError(f"{server.name}: gzip body of python.wasm does not gunzip to the file")
    return "ok"


WRK_LUA = """
local i = 0
request = function()
  i = (i % 500) + 1
  return wrk.format(nil, string.format("/small/f%03d.txt", i))
end
"""


def wrk(url, conns, seconds, headers=(), script=None, threads=1):
    argv = ["taskset", "-c", "1", "wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s"]
    for h in headers:
        argv += ["-H", h]
    if script:
        argv += ["-s", script]
    out = subprocess.run(argv + [url], capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    tr = re.search(r"Transfer/sec:\s+([\d.]+)(\w+)", out)
    mult = {"B": 1, "KB": 1e3 / 1.048576 * 1.024, "MB": 1024 ** 2, "GB": 1024 ** 3}
    mbps = float(tr.group(1)) * {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[tr.group(2)] / 1e6
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "mbps": mbps, "errors": errors.group(1) if errors else "",
            "non2xx": int(non2xx.group(1)) if non2xx else 0}


def cold_gzip(server, root, tag):
    """First byte and full time of a never-seen 20 MB wasm (a new inode) with gzip."""
    name = f"cold-{tag}-{time.monotonic_ns()}.wasm"
    shutil.copyfile(os.path.join(root, "python.wasm"), os.path.join(root, name))
    out = subprocess.run(["taskset", "-c", "1", "curl", "-s", "-o", "/dev/null", "-H", "Accept-Encoding: gzip",
                          "-w", "%{time_starttransfer} %{time_total} %{size_download}", server.url + name],
                         capture_output=True, text=True).stdout.split()
    os.remove(os.path.join(root, name))
    return float(out[0]) * 1000, float(out[1]) * 1000, int(out[2])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(REPO, "build", "wasmdev"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="1 round of 2 s")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="where to write the table")
    a = ap.parse_args()
    if a.quick:
        a.rounds, a.duration = 1, 2
    for tool in ("nginx", "wrk", "taskset", "curl"):
        if not shutil.which(tool) and not os.path.exists(f"/usr/sbin/{tool}"):
            sys.exit(f"bench: {tool} is missing: run ./scripts/setup.sh --test")
    if not os.access(a.binary, os.X_OK):
        sys.exit(f"bench: {a.binary} is missing: build first (see README)")

    tmp = tempfile.mkdtemp(prefix="wasmdev-bench-")
    root = os.path.join(tmp, "site"); os.makedirs(root)
    log("bench: building the fixture ...")
    ratio = make_fixture(root)
    script = os.path.join(tmp, "small.lua"); open(script, "w").write(WRK_LUA)
    pw, pn, ps = free_port(), free_port(), free_port()
    open(os.path.join(tmp, "nginx.conf"), "w").write(nginx_conf(tmp, root, pn, ps))
    nginx_bin = shutil.which("nginx") or "/usr/sbin/nginx"
    servers = {
        "wasmdev": Server("wasmdev", [a.binary, "serve", root, "--port", str(pw), "--quiet", "--threads", "1"],
                          f"http://127.0.0.1:{pw}/"),
        "nginx": Server("nginx", [nginx_bin, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf"), "-g", "daemon off;"],
                        f"http://127.0.0.1:{pn}/", os.path.join(tmp, "nginx.pid")),
    }
    static_url = f"http://127.0.0.1:{ps}/"
    results = {k: {} for k in servers}
    def add(server, metric, value):
        results[server].setdefault(metric, []).append(value)

    try:
        for rnd in range(a.rounds):
            for name, s in servers.items():  # alternate servers within each round
                log(f"bench: round {rnd + 1}/{a.rounds}: {name}")
                add(name, "start_ms", s.start())
                if rnd == 0:
                    log(f"bench: {name} bytes check: {check_bytes(s, root)}")
                small = wrk(s.url, 64, a.duration, script=script)
                add(name, "small64", small["rps"]); add(name, "small64_err", small["errors"] or "none")
                cpu0 = s.cpu_seconds(); small_reqs = small["rps"] * a.duration
                small256 = wrk(s.url, 256, a.duration, script=script)
                add(name, "small256", small256["rps"]); add(name, "small256_err", small256["errors"] or "none")
                add(name, "cpu_us_per_req", (s.cpu_seconds() - cpu0) / (small256["rps"] * a.duration) * 1e6)
                add(name, "listing", wrk(s.url + "small/", 16, a.duration)["rps"])
                cpu0 = s.cpu_seconds()
                ident = wrk(s.url + "python.wasm", 4, a.duration)
                add(name, "wasm_identity_mbps", ident["mbps"])
                add(name, "cpu_ms_per_gb", (s.cpu_seconds() - cpu0) * 1000 / (ident["mbps"] * a.duration / 1000))
                gz_url = (static_url if name == "nginx" else s.url) + "python.wasm"
                fetch(gz_url, {"Accept-Encoding": "gzip"})  # warm the cache
                add(name, "wasm_gzip_mbps", wrk(gz_url, 4, a.duration, headers=["Accept-Encoding: gzip"])["mbps"])
                if name == "nginx":
                    add(name, "wasm_gzip_fly_mbps",
                        wrk(s.url + "python.wasm", 4, a.duration, headers=["Accept-Encoding: gzip"])["mbps"])
                s.alive()
                first, total, size = cold_gzip(s, root, name)
                s.alive()
                add(name, "cold_first_ms", first); add(name, "cold_total_ms", total)
                add(name, "peak_rss_mib", s.peak_rss_mib())
                s.stop()
    finally:
        for s in servers.values():
            s.stop()

    def med(server, metric):
        v = results[server].get(metric)
        if not v:
            return None
        return v[-1] if isinstance(v[0], str) else statistics.median(v)

    rows = [
        ("small files, keep-alive, 64 conns (req/s)", "small64", True),
        ("small files, keep-alive, 256 conns (req/s)", "small256", True),
        ("server CPU per small request (µs)", "cpu_us_per_req", False),
        ("directory listing, 500 entries (req/s)", "listing", True),
        ("python.wasm identity (MB/s)", "wasm_identity_mbps", True),
        ("server CPU per GB identity (ms)", "cpu_ms_per_gb", False),
        ("python.wasm gzip, warm (MB/s on the wire; nginx: gzip_static)", "wasm_gzip_mbps", True),
        ("cold 20 MB wasm gzip: first byte (ms)", "cold_first_ms", False),
        ("cold 20 MB wasm gzip: full download (ms)", "cold_total_ms", False),
        ("start to first response (ms)", "start_ms", False),
        ("peak RSS (MiB)", "peak_rss_mib", False),
    ]
    lines = ["| metric | wasmdev | nginx | wasmdev/nginx | better |", "|---|---:|---:|---:|---|"]
    for label, key, higher in rows:
        w, n = med("wasmdev", key), med("nginx", key)
        ratio_s = f"{w / n:.2f}" if w and n else "n/a"
        lines.append(f"| {label} | {w:,.1f} | {n:,.1f} | {ratio_s} | {'higher' if higher else 'lower'} |")
    fly = med("nginx", "wasm_gzip_fly_mbps")
    lines.append(f"| (nginx gzip on the fly, for reference, MB/s) | | {fly:,.1f} | | |")
    socket_errors = f"socket errors: wasmdev {med('wasmdev', 'small256_err')}, nginx {med('nginx', 'small256_err')}"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    nginx_v = subprocess.run([nginx_bin, "-v"], capture_output=True, text=True).stderr.strip()
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    report = "\n".join([
        "# wasmdev beside nginx",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`bench/run.sh --rounds {a.rounds} --duration {a.duration}`: medians of {a.rounds} rounds, servers "
        "alternating within each round.",
        "",
        f"Machine: {os.cpu_count()} cores ({cpu}), Linux {platform.release()}; {nginx_v}; {wrk_v}.",
        "Servers pinned to core 0 (`taskset -c 0`; wasmdev `--threads 1`, nginx `worker_processes 1`), wrk and "
        "curl to core 1. Small-file runs rotate over 500 files of 200–2000 bytes. Fixture: python.wasm 20 MB "
        f"(gzip -6 ratio {ratio:.1f}:1), python.data 10 MB, python.js 250 KB, python.html 2 KB.",
        "",
        *lines,
        "",
        f"{socket_errors}.",
        "",
    ])
    print(report)
    if a.results:
        open(a.results, "w").write(report)
        log(f"bench: wrote {a.results}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
