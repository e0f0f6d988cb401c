#!/usr/bin/env python3
"""wasmdev beside nginx on the work a WASM dev server does.

Builds a deterministic fixture shaped like a CPython browser build, starts wasmdev and
nginx (Debian's, as our own process with a temporary config: same headers, sendfile,
gzip on the fly and a gzip_static variant) on loopback ports, checks the bytes once per
server, then drives both with wrk in alternation for several rounds and prints medians
and wasmdev/nginx ratios. Servers are pinned to core 0 and wrk/curl to core 1, so the
load generator does not steal the server's CPU and CPU per request is comparable.
Stdlib only. Run through bench/run.sh.
"""
import argparse, ctypes, gzip, json, hashlib, http.client, os, platform, random, re, resource, shutil
import signal, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
POLICY = [("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Embedder-Policy", "require-corp"),
          ("Cross-Origin-Resource-Policy", "same-site"), ("X-Content-Type-Options", "nosniff"),
          ("Cache-Control", "no-cache")]
CLK = os.sysconf("SC_CLK_TCK")
SERVER_CORE, CLIENT_CORE = "0", "1"
START_LAUNCHES = 5   # launches per round for the start-time median
COLD_SAMPLES = 3     # never-seen files per round for the cold gzip figures
FOREIGN_MAX = 0.20   # CPU share of a core others may use in a timed run (big sendfile runs show ~10%
                     # of kernel time charged to no process even on an idle machine)
RETRIES = 2          # repeats of a run that other processes disturbed
UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


# ---------------------------------------------------------------- fixture

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
    """The served tree. `static/python.wasm` has a `.gz` sidecar (nginx gzip_static, wasmdev's
    sidecar rule); the top-level python.wasm has none, so wasmdev's gzip comes from its cache."""
    for d in ("small", "static"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    files = {
        "python.html": b"<!doctype html><title>python</title>\n" + b"<p>REPL page</p>\n" * 142,  # 2.6 KB
        "python.js": wasm_like(250_000, 1),
        "python.wasm": wasm_like(20_000_000, 2),
        "python.data": wasm_like(10_000_000, 3),
    }
    files["static/python.wasm"] = files["python.wasm"]
    for i in range(1, 501):
        files[f"small/f{i:03}.txt"] = wasm_like(200 + (i * 37) % 1800, 100 + i)
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    gz = gzip.compress(files["python.wasm"], 6, mtime=0)
    time.sleep(0.01)  # the sidecar is newer than its source
    with open(os.path.join(root, "static/python.wasm.gz"), "wb") as f:
        f.write(gz)
    return len(files["python.wasm"]) / len(gz)


def nginx_http(tmp, servers):
    """nginx.conf for one worker, run as our own process, with `servers` inside its http block
    (the same for the plain bench and bench/tls.py)."""
    return f"""worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
{"user root;" if os.getuid() == 0 else ""}
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/wasm wasm; text/javascript js mjs; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on; tcp_nopush on; keepalive_requests 1000000;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy; fastcgi_temp_path {tmp}/fcgi;
    uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
{servers}
}}
"""


def nginx_conf(tmp, root, port_fly, port_static):
    headers = "\n".join(f'        add_header {n} "{v}" always;' for n, v in POLICY)

    def server(port, static):
        return f"""
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {root};
{headers}
        gzip on; gzip_vary on; gzip_min_length 1024; gzip_comp_level 6;
        gzip_types application/wasm text/javascript application/javascript application/octet-stream;
        {"gzip_static on;" if static else ""}
        location /small/ {{ autoindex on; }}
    }}"""
    return nginx_http(tmp, f"""{server(port_fly, False)}
{server(port_static, True)}""")


# ---------------------------------------------------------------- processes

_libc = ctypes.CDLL(None, use_errno=True)


def _child_setup():
    os.setsid()
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: never outlive the benchmark


class Server:
    def __init__(self, name, argv, port, pid_file=None):
        self.name, self.argv, self.port, self.pid_file = name, argv, port, pid_file
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = None
        self.logpath = None
        self.anon_max_kib = 0

    def start(self):
        """Start pinned to the server core; return ms from launch to the first 200."""
        self.anon_max_kib = 0
        fd, self.logpath = tempfile.mkstemp(prefix=f"wasmdev-bench-{self.name}-", suffix=".log")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(["taskset", "-c", SERVER_CORE] + self.argv, stdout=fd, stderr=fd,
                                     stdin=subprocess.DEVNULL, preexec_fn=_child_setup)
        os.close(fd)
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                c.request("GET", "/python.html"); r = c.getresponse(); r.read(); c.close()
                if r.status == 200:
                    return (time.perf_counter() - t0) * 1000
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} at start: {self.tail()}")
            if time.perf_counter() - t0 > 10:
                raise RuntimeError(f"{self.name} did not answer within 10 s: {self.tail()}")
            time.sleep(0.0005)

    def tail(self):
        try:
            return open(self.logpath, errors="replace").read()[-600:].strip() or "(empty log)"
        except OSError:
            return "(no log)"

    def pids(self):
        """(worker, master): the process doing the work and the one we launched."""
        master = self.proc.pid  # taskset execs, so this is the server itself
        if self.pid_file:  # nginx: the worker serves
            kids = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
            if kids:
                return int(kids[0]), master
        return master, None

    def cpu_seconds(self):
        f = open(f"/proc/{self.pids()[0]}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / CLK  # utime + stime, all threads

    @staticmethod
    def _hwm(pid):
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None

    def sample_anon(self):
        """Private memory (RssAnon: heap, stacks, bodies, written library data) now; the most seen
        is kept. There is no high-water mark for it, so it is read after every run."""
        try:
            for line in open(f"/proc/{self.pids()[0]}/status"):
                if line.startswith("RssAnon:"):
                    self.anon_max_kib = max(self.anon_max_kib, int(line.split()[1]))
        except OSError:
            pass

    def peak_rss_mib(self):
        worker, master = self.pids()
        return self._hwm(worker), (self._hwm(master) if master else None)

    def alive(self):
        if self.proc.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.tail()}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL); self.proc.wait()
            except ProcessLookupError:
                pass
        self.proc = None
        if self.logpath and os.path.exists(self.logpath):
            os.remove(self.logpath)
        self.logpath = None


def fetch(port, path, headers=None, method="GET"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, headers=headers or {})
    r = c.getresponse(); body = r.read(); c.close()
    return r, body


# ---------------------------------------------------------------- checks

def check_server(name, port, root, static_port):
    """Bytes and headers, once per server, before timing. Returns (problems, capabilities).
    A problem is something wrong (reported, and the metric it touches is dropped); a missing
    capability (no gzip) makes the gzip metrics n/a with the reason."""
    problems, caps = [], {}
    want = lambda p: open(os.path.join(root, p), "rb").read()
    for path, ctype in (("python.html", "text/html"), ("python.js", "text/javascript"),
                        ("python.wasm", "application/wasm"), ("python.data", "application/octet-stream"),
                        ("small/f001.txt", "text/plain"), ("small/f500.txt", "text/plain")):
        r, body = fetch(port, "/" + path)
        if r.status != 200:
            problems.append(f"GET /{path}: status {r.status}"); continue
        if hashlib.sha256(body).hexdigest() != hashlib.sha256(want(path)).hexdigest():
            problems.append(f"GET /{path}: sha256 differs ({len(body)} bytes, want {len(want(path))})")
        got = (r.getheader("Content-Type") or "").split(";")[0].strip()
        if got != ctype:
            problems.append(f"GET /{path}: Content-Type {r.getheader('Content-Type')!r}, want {ctype}")
        if path == "python.wasm" and r.getheader("Content-Type") != "application/wasm" and name == "wasmdev":
            problems.append(f"GET /python.wasm: Content-Type {r.getheader('Content-Type')!r} has parameters")
        for h, v in POLICY:
            if r.getheader(h) != v:
                problems.append(f"GET /{path}: {h} {r.getheader(h)!r}, want {v!r}")
    r, _ = fetch(port, "/no-such-file.wasm")
    missing = [h for h, v in POLICY if r.getheader(h) != v]
    if r.status != 404 or missing:
        problems.append(f"GET /no-such-file.wasm: status {r.status}, policy headers missing: {missing or 'none'}")
    r, body = fetch(port, "/small/")
    entries = set(re.findall(rb'href="(?:/small/)?(f\d{3}\.txt)"', body))
    caps["listing"] = (r.status == 200 and len(entries) == 500,
                       f"status {r.status}, {len(entries)} of 500 entries linked")
    caps["listing_bytes"] = len(body)

    def gz_check(p, path, label):
        r, body = fetch(p, path, {"Accept-Encoding": "gzip"})
        ce = r.getheader("Content-Encoding")
        if r.status != 200:
            return False, f"{label}: status {r.status}"
        if ce != "gzip":
            return False, f"{label}: response lacked Content-Encoding: gzip (got {ce!r})"
        try:
            ok = gzip.decompress(body) == want("python.wasm")
        except (OSError, EOFError) as e:
            return False, f"{label}: body does not gunzip ({e})"
        if not ok:
            problems.append(f"{label}: gunzipped body differs from python.wasm")
            return False, f"{label}: gunzipped body differs"
        return True, f"{label}: {len(body):,} gzip bytes gunzip to python.wasm"
    if name == "nginx":
        caps["gzip_warm"] = gz_check(static_port, "/static/python.wasm", "gzip_static /static/python.wasm")
        caps["gzip_fly"] = gz_check(port, "/python.wasm", "gzip on the fly /python.wasm")
        caps["gzip_sidecar"] = caps["gzip_warm"]
    else:
        caps["gzip_warm"] = gz_check(port, "/python.wasm", "GET /python.wasm gzip")
        caps["gzip_sidecar"] = gz_check(port, "/static/python.wasm", "GET /static/python.wasm gzip (sidecar)")
    return problems, caps


# ---------------------------------------------------------------- load

WRK_LUA = """
local i = 0
request = function()
  i = (i % 500) + 1
  return wrk.format(nil, string.format("/small/f%03d.txt", i))
end
"""


def to_ms(v, unit):
    return float(v) * {"us": 1e-3, "ms": 1, "s": 1e3, "m": 6e4}[unit]


def machine_busy_seconds():
    """CPU time used on the whole machine so far (user+nice+system+irq+softirq+steal)."""
    f = open("/proc/stat").readline().split()
    return sum(int(f[i]) for i in (1, 2, 3, 6, 7, 8)) / CLK


def wait_quiet(limit_s):
    """Wait (up to limit_s) until the machine is idle: under 15% of a core busy for a second."""
    t0 = time.monotonic()
    while True:
        b0 = machine_busy_seconds(); time.sleep(1); busy = machine_busy_seconds() - b0
        if busy < 0.15 or time.monotonic() - t0 > limit_s:
            return busy
        log(f"bench: the machine is busy ({busy:.0%} of a core by other processes); waiting")


def wrk(url, conns, seconds, headers=(), script=None):
    argv = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s",
            "--latency"]
    for h in headers:
        argv += ["-H", h]
    if script:
        argv += ["-s", script]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(argv + [url], capture_output=True, text=True)
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = p.stdout
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+), ([\d.]+)(\w+) read", out)
    if not m:
        raise RuntimeError(f"wrk output not understood ({' '.join(argv)}):\n{out}\n{p.stderr}")
    reqs, secs = int(m.group(1)), to_ms(m.group(2), m.group(3)) / 1000
    nbytes = float(m.group(4)) * UNITS[m.group(5)]
    lat = dict((q, to_ms(v, u)) for q, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M))
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"reqs": reqs, "secs": secs, "rps": reqs / secs, "bytes": nbytes, "mbps": nbytes / secs / 1e6,
            "p50": lat.get("50"), "p99": lat.get("99"),
            "errors": errors.group(1) if errors else None, "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "client_cpu": ru1.ru_utime + ru1.ru_stime - ru0.ru_utime - ru0.ru_stime}


# The cold client: a raw HTTP/1.1 GET timing the first byte of the *body* (curl's
# time_starttransfer would count a head sent before any compressed byte exists) and the
# whole response; run pinned to the client core. Prints "status first_ms total_ms" and
# writes the decoded (de-chunked) body and the head to the files given.
COLD_CLIENT = r"""
import socket, sys, time
port, path, body_file, head_file = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
t0 = time.perf_counter()
s = socket.create_connection(("127.0.0.1", port))
s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n".encode())
buf, first = b"", None
while b"\r\n\r\n" not in buf:
    d = s.recv(65536)
    if not d: sys.exit("connection closed in the head")
    buf += d
head, rest = buf.split(b"\r\n\r\n", 1)
chunks = [rest]
if rest: first = time.perf_counter()
while True:
    d = s.recv(1 << 20)
    if not d: break
    if first is None: first = time.perf_counter()
    chunks.append(d)
total = time.perf_counter()
raw = b"".join(chunks)
if b"\r\ntransfer-encoding: chunked" in head.lower():
    out, i = [], 0
    while True:
        j = raw.index(b"\r\n", i); n = int(raw[i:j].split(b";")[0], 16)
        if n == 0: break
        out.append(raw[j + 2:j + 2 + n]); i = j + 2 + n + 2
    raw = b"".join(out)
open(body_file, "wb").write(raw); open(head_file, "wb").write(head)
print(head.split(b" ")[1].decode(), (first - t0) * 1000 if first else -1, (total - t0) * 1000)
"""


def cold_gzip(port, root, tag):
    """First body byte and full time of a never-seen 20 MB wasm (new name, new inode) with gzip."""
    name = f"cold-{tag}-{time.monotonic_ns()}.wasm"
    src, dst = os.path.join(root, "python.wasm"), os.path.join(root, name)
    shutil.copyfile(src, dst)
    with tempfile.TemporaryDirectory(prefix="wasmdev-bench-cold-") as d:
        body, hdrs = os.path.join(d, "body"), os.path.join(d, "headers")
        run = subprocess.run(["taskset", "-c", CLIENT_CORE, sys.executable, "-c", COLD_CLIENT, str(port), f"/{name}",
                              body, hdrs], capture_output=True, text=True)
        os.remove(dst)
        if run.returncode != 0:
            return None, f"cold client failed: {run.stderr.strip()[-200:]}"
        out = run.stdout.split()
        status, first, total = out[0], float(out[1]), float(out[2])
        ce = re.search(r"^content-encoding:\s*(\S+)", open(hdrs, errors="replace").read(), re.I | re.M)
        if status != "200":
            return None, f"status {status}"
        if not ce or ce.group(1).lower() != "gzip":
            return None, f"response lacked Content-Encoding: gzip (got {ce.group(1) if ce else None!r})"
        try:
            ok = gzip.decompress(open(body, "rb").read()) == open(src, "rb").read()
        except (OSError, EOFError) as e:
            return None, f"body does not gunzip ({e})"
        if not ok:
            return None, "gunzipped body differs from the file"
        return (first, total), None


# ---------------------------------------------------------------- report

def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}"


def main():
    ap = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(REPO, "build", "wasmdev"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--quick", action="store_true", help="1 round of 2 s (does not write RESULTS.md)")
    ap.add_argument("--only", choices=("wasmdev", "nginx"))
    ap.add_argument("--retries", type=int, default=RETRIES,
                    help=f"repeats of a run other processes disturbed (default {RETRIES}); 0 on a machine that is "
                         "never quiet: every run is kept and the disturbed ones are listed as contended")
    ap.add_argument("--quiet-wait", type=int, default=60, metavar="S",
                    help="seconds to wait for an idle machine before each round and repeat (default 60)")
    ap.add_argument("--results", help="markdown file to write (default bench/RESULTS.md for full runs of "
                                      "both servers; '-' for none)")
    a = ap.parse_args()
    command = "bench/run.sh" + "".join(" " + x for x in sys.argv[1:])
    if a.quick:
        a.rounds, a.duration = 1, 2
    if a.results is None:
        a.results = "-" if a.quick or a.only else os.path.join(HERE, "RESULTS.md")
    if a.rounds < 1 or a.duration < 1:
        ap.error("--rounds and --duration must be at least 1")
    for tool in ("wrk", "taskset", "curl", "pgrep"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing (apt-get install -y nginx-core wrk curl util-linux procps)")
    nginx_bin = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if a.only != "wasmdev" and not nginx_bin:
        sys.exit("bench: nginx is missing (apt-get install -y nginx-core)")
    if a.only != "nginx" and not os.access(a.binary, os.X_OK):
        sys.exit(f"bench: {a.binary} is missing: build first (cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "
                 "&& cmake --build build -j2)")
    if (os.cpu_count() or 1) < 2:
        log("bench: warning: one core only; the server and wrk share it")
        globals()["CLIENT_CORE"] = "0"

    def on_signal(sig, _frame):
        raise SystemExit(128 + sig)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    tmp = tempfile.mkdtemp(prefix="wasmdev-bench-")
    servers = {}
    try:
        root = os.path.join(tmp, "site"); os.makedirs(root)
        log("bench: building the fixture ...")
        gz_ratio = make_fixture(root)
        script = os.path.join(tmp, "small.lua"); open(script, "w").write(WRK_LUA)
        binary_desc = ""
        if a.only != "nginx":
            # A private copy: a concurrent rebuild of build/wasmdev cannot swap it mid-run.
            binary = os.path.join(tmp, "wasmdev")
            shutil.copy2(a.binary, binary)
            version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
            head = subprocess.run(["git", "-C", REPO, "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
                                  capture_output=True, text=True).stdout.strip()
            binary_desc = f"{version}, {os.path.relpath(a.binary, REPO) if a.binary.startswith(REPO) else a.binary}" \
                          f" built {time.strftime('%Y-%m-%d %H:%M', time.gmtime(os.path.getmtime(a.binary)))} UTC" \
                          f" (repo HEAD {head})"
            pw = free_port()
            servers["wasmdev"] = Server("wasmdev", [binary, "serve", root, "--port", str(pw), "--quiet",
                                                    "--threads", "1"], pw)
            # The default, with the access log on; its stdout is a file (Server.start).
            logged = Server("wasmdev-log", [binary, "serve", root, "--port", str(pw), "--threads", "1"], pw)
        pn = ps = None
        if a.only != "wasmdev":
            pn, ps = free_port(), free_port()
            for d in ("body", "proxy", "fcgi", "uwsgi", "scgi"):
                os.makedirs(os.path.join(tmp, d), exist_ok=True)
            open(os.path.join(tmp, "nginx.conf"), "w").write(nginx_conf(tmp, root, pn, ps))
            servers["nginx"] = Server("nginx", [nginx_bin, "-p", tmp, "-c", os.path.join(tmp, "nginx.conf")], pn,
                                      os.path.join(tmp, "nginx.pid"))
        res = {k: {} for k in servers}      # server -> metric -> [values per round]
        na = {k: {} for k in servers}       # server -> metric -> reason it is n/a
        diag = {k: {} for k in servers}     # server -> metric -> [(server busy, client busy)]
        problems = {k: [] for k in servers}
        contended = []
        caps = {}
        load = [open("/proc/loadavg").read().split()[0]]

        def add(srv, metric, value):
            res[srv].setdefault(metric, []).append(value)

        def run_wrk(srv, s, metric, url, conns, cpu_metric=None, per="req", **kw):
            """One wrk run; records the throughput and, if asked, server CPU per request or per GB.
            The machine is shared: CPU used by anything but the server and wrk during the run is
            'foreign'; above FOREIGN_MAX of a core the run is repeated (up to RETRIES times)."""
            for attempt in range(a.retries + 1):
                cpu0, m0 = s.cpu_seconds(), machine_busy_seconds()
                w = wrk(url, conns, a.duration, **kw)
                cpu, m = s.cpu_seconds() - cpu0, machine_busy_seconds() - m0
                s.alive()
                s.sample_anon()
                foreign = max(0.0, (m - cpu - w["client_cpu"]) / w["secs"])
                if foreign <= FOREIGN_MAX:
                    break
                log(f"bench: {srv} {metric}: other processes used {foreign:.0%} of a core during the run"
                    + ("; again when quiet" if attempt < a.retries else "; kept, marked contended"))
                if attempt < a.retries:
                    wait_quiet(a.quiet_wait)
            if foreign > FOREIGN_MAX:
                contended.append(f"{srv} {metric} round {rnd + 1} ({foreign:.0%} of a core)")
            bad = w["non2xx"] or (w["errors"] and re.search(r"[1-9]", w["errors"]))
            if bad:
                problems[srv].append(f"{metric} round {rnd + 1}: {w['non2xx']} non-2xx/3xx responses, socket errors "
                                     f"{w['errors'] or 'none'} (wrk -c{conns} {url})")
                na[srv][metric] = "errors during the run (see notes)"
            diag[srv].setdefault(metric, []).append((cpu / w["secs"], w["client_cpu"] / w["secs"], foreign))
            add(srv, metric, w["mbps"] if per == "GB" else w["rps"])
            if cpu_metric:
                add(srv, cpu_metric, cpu * 1e6 / w["reqs"] if per == "req" else cpu * 1e3 / (w["bytes"] / 1e9))
            return w

        for rnd in range(a.rounds):
            for name, s in servers.items():  # alternate the servers within each round
                log(f"bench: round {rnd + 1}/{a.rounds}: {name}")
                wait_quiet(a.quiet_wait)
                starts = []
                for i in range(START_LAUNCHES):
                    starts.append(s.start())
                    if i < START_LAUNCHES - 1:
                        s.stop()
                add(name, "start_ms", statistics.median(starts))
                if rnd == 0:
                    p, c = check_server(name, s.port, root, ps)
                    problems[name] += p; caps[name] = c
                    for line in p:
                        log(f"bench: {name}: PROBLEM: {line}")
                    for k in ("listing", "gzip_warm", "gzip_sidecar", "gzip_fly"):
                        if k in c:
                            log(f"bench: {name}: check {k}: {'ok' if c[k][0] else 'n/a'} ({c[k][1]})")
                c = caps[name]
                w = run_wrk(name, s, "small64", s.url, 64, "cpu_us_per_req", script=script)
                add(name, "small64_p99", w["p99"])
                run_wrk(name, s, "small256", s.url, 256, script=script)
                # One hot small page, no Accept-Encoding: the cost of a request itself.
                run_wrk(name, s, "hot64", s.url + "python.html", 64, "cpu_us_hot")
                run_wrk(name, s, "hot256", s.url + "python.html", 256)
                if c["listing"][0]:
                    run_wrk(name, s, "listing", s.url + "small/", 16)
                else:
                    na[name]["listing"] = c["listing"][1]
                run_wrk(name, s, "wasm_identity", s.url + "python.wasm", 4, "cpu_ms_per_gb", per="GB")
                gz = ["Accept-Encoding: gzip"]
                if c["gzip_warm"][0]:
                    gz_port = ps if name == "nginx" else s.port
                    gz_path = "/static/python.wasm" if name == "nginx" else "/python.wasm"
                    url = f"http://127.0.0.1:{gz_port}{gz_path}"
                    fetch(gz_port, gz_path, {"Accept-Encoding": "gzip"})  # warm the cache
                    run_wrk(name, s, "wasm_gzip_warm", url, 4, "cpu_ms_per_gb_gzip", per="GB", headers=gz)
                else:
                    na[name]["wasm_gzip_warm"] = na[name]["cpu_ms_per_gb_gzip"] = c["gzip_warm"][1]
                if name == "wasmdev":
                    if c["gzip_sidecar"][0]:
                        run_wrk(name, s, "wasm_gzip_sidecar", s.url + "static/python.wasm", 4, per="GB", headers=gz)
                    else:
                        na[name]["wasm_gzip_sidecar"] = c["gzip_sidecar"][1]
                if name == "nginx":
                    if res[name].get("wasm_gzip_warm"):
                        res[name]["wasm_gzip_sidecar"] = res[name]["wasm_gzip_warm"]
                    if c["gzip_fly"][0]:
                        run_wrk(name, s, "wasm_gzip_fly", s.url + "python.wasm", 4, per="GB", headers=gz)
                for i in range(COLD_SAMPLES):
                    v, why = cold_gzip(s.port, root, name)
                    s.alive()
                    s.sample_anon()
                    if v is None:
                        na[name]["cold_first_ms"] = na[name]["cold_total_ms"] = why
                        break
                    add(name, "cold_first_ms", v[0]); add(name, "cold_total_ms", v[1])
                worker, master = s.peak_rss_mib()
                add(name, "peak_rss_mib", worker)
                add(name, "peak_anon_mib", s.anon_max_kib / 1024)
                if name == "wasmdev":
                    # The RSS target allows nginx's RSS plus the compressed bodies wasmdev holds;
                    # the peak, as RSS is a peak too (bodies of deleted files are freed within 2 s).
                    try:
                        _, stats = fetch(s.port, "/__wasmdev/stats.json")
                        held = json.loads(stats)["compress_cache"]["bytes_held_peak"]
                        add(name, "bodies_held_mib", held / (1 << 20))
                    except (OSError, ValueError, KeyError) as e:
                        na[name]["bodies_held_mib"] = f"stats.json: {e}"
                if master is not None:
                    add(name, "peak_rss_master_mib", master)
                s.stop()
                if name == "wasmdev":
                    # The same hot page with the access log on (wasmdev's default), to a file.
                    logged.start()
                    run_wrk(name, logged, "hot64_log", logged.url + "python.html", 64, "cpu_us_hot_log")
                    logged.stop()
        load.append(open("/proc/loadavg").read().split()[0])
    finally:
        for s in servers.values():
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------ the table
    def med(srv, metric):
        if srv not in res or metric in na[srv]:
            return None
        v = [x for x in res[srv].get(metric, []) if x is not None]
        return statistics.median(v) if v else None

    rows = [
        ("small files, keep-alive, 64 conns (req/s)", "small64", True),
        ("small files, keep-alive, 256 conns (req/s)", "small256", True),
        ("small files, 64 conns: p99 latency (ms)", "small64_p99", False),
        ("server CPU per small-file request (µs)", "cpu_us_per_req", False),
        ("hot python.html 2.6 KB, no Accept-Encoding, 64 conns (req/s)", "hot64", True),
        ("hot python.html, 256 conns (req/s)", "hot256", True),
        ("server CPU per hot python.html request (µs)", "cpu_us_hot", False),
        ("hot python.html, 64 conns, access log on, to a file (req/s; wasmdev's default)", "hot64_log", True),
        ("server CPU per hot request, access log on (µs)", "cpu_us_hot_log", False),
        ("directory listing, 500 entries, 16 conns (req/s)", "listing", True),
        ("python.wasm identity, 4 conns (MB/s)", "wasm_identity", True),
        ("server CPU per GB sent, identity wasm (ms)", "cpu_ms_per_gb", False),
        ("python.wasm gzip warm (MB/s on the wire; wasmdev: its cache, nginx: gzip_static)", "wasm_gzip_warm", True),
        ("server CPU per GB sent, gzip warm (ms)", "cpu_ms_per_gb_gzip", False),
        ("python.wasm gzip from a `.gz` sidecar (MB/s; both serve the file)", "wasm_gzip_sidecar", True),
        ("cold never-seen 20 MB wasm, gzip: first body byte (ms)", "cold_first_ms", False),
        ("cold never-seen 20 MB wasm, gzip: full download (ms)", "cold_total_ms", False),
        ("start to first answered request (ms)", "start_ms", False),
        ("peak RSS, VmHWM (MiB; nginx: the worker)", "peak_rss_mib", False),
        ("private memory at most, RssAnon after each run (MiB; nginx: the worker)", "peak_anon_mib", False),
        ("compressed bodies held at most (MiB; wasmdev's stats.json bytes_held_peak)", "bodies_held_mib", False),
    ]
    names = ["wasmdev", "nginx"]
    lines = ["| metric | wasmdev | nginx | wasmdev/nginx | better |", "|---|---:|---:|---:|---|"]
    printed = []
    for label, key, higher in rows:
        cells = []
        for n in names:
            v = med(n, key)
            if v is None and n in servers:
                why = na[n].get(key) or "not measured"
                cells.append(f"n/a ({why})" if why != "not measured" else "n/a")
            else:
                cells.append(fmt(v) if n in servers else "–")
        w, n = med("wasmdev", key), med("nginx", key)
        ratio = f"{w / n:.2f}" if w is not None and n else "n/a"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {ratio} | {'higher' if higher else 'lower'} |")
        printed.append((label, w, n, ratio))
    fly = med("nginx", "wasm_gzip_fly")
    if fly is not None:
        lines.append(f"| (reference: nginx `gzip on` on the fly, python.wasm, MB/s) | | {fmt(fly)} | | higher |")
    master = med("nginx", "peak_rss_master_mib")
    if master is not None:
        lines.append(f"| (reference: nginx master process VmHWM, MiB) | | {fmt(master)} | | lower |")

    notes = []
    for n in servers:
        for p in problems[n]:
            notes.append(f"- **{n} problem:** {p}")
    for n in servers:
        busy = []
        for metric in ("small64", "small256", "listing", "wasm_identity", "wasm_gzip_warm"):
            if diag[n].get(metric):
                sb = statistics.median(x[0] for x in diag[n][metric]) * 100
                cb = statistics.median(x[1] for x in diag[n][metric]) * 100
                fb = statistics.median(x[2] for x in diag[n][metric]) * 100
                busy.append(f"{metric} {sb:.0f}/{cb:.0f}/{fb:.0f}")
        if busy:
            notes.append(f"- {n}, % of a core used by server/wrk/others during the runs (a server well below "
                         f"100% was limited by the client or the kernel): {', '.join(busy)}.")
    if contended:
        notes.append(f"- **contended** (other processes above {FOREIGN_MAX:.0%} of a core after {a.retries} "
                     f"repeats): {', '.join(contended)}.")
    if caps.get("wasmdev") and caps.get("nginx"):
        notes.append(f"- listing body: wasmdev {caps['wasmdev']['listing_bytes']:,} bytes, nginx autoindex "
                     f"{caps['nginx']['listing_bytes']:,} bytes.")
    for n in servers:
        rounds = "; ".join(f"{k} " + "/".join(fmt(x) for x in v) for k, v in res[n].items()
                           if k in ("small64", "small256", "hot64", "hot64_log", "wasm_identity", "wasm_gzip_warm",
                                    "cold_total_ms", "start_ms"))
        notes.append(f"- {n} per round: {rounds}.")

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    nginx_v = subprocess.run([nginx_bin, "-v"], capture_output=True, text=True).stderr.strip() if nginx_bin else "no nginx"
    wrk_v = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    curl_v = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split(" (")[0]
    who = " and ".join({"wasmdev": "wasmdev `--threads 1 --quiet`", "nginx": "nginx `worker_processes 1`"}[n]
                       for n in servers)
    pinned = (f"{who} pinned to core {SERVER_CORE} "
              f"(`taskset -c {SERVER_CORE}`); wrk (`-t1`), curl and the cold client pinned to core {CLIENT_CORE}, so the load "
              "generator does not take the server's CPU")
    report = "\n".join([
        "# wasmdev beside nginx",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: `{command}` — medians of {a.rounds} round(s) "
        f"of {a.duration} s per wrk run, the servers alternating within each round.",
        "",
        f"- Machine: {os.cpu_count()} cores, {cpu}; Linux {platform.release()}; load average "
        f"{load[0]} before, {load[-1]} after.",
        f"- Tools: {nginx_v}; {wrk_v}; {curl_v}.",
        f"- wasmdev: {binary_desc or 'not run'}.",
        f"- Pinning: {pinned}.",
        f"- Fixture (deterministic, seeded): python.html 2.6 KB, python.js 250 KB, python.wasm 20 MB "
        f"(gzip -6 ratio {gz_ratio:.2f}:1), python.data 10 MB, small/ with 500 files of 200–2000 bytes "
        "(wrk rotates over them with a Lua script), static/python.wasm with a python.wasm.gz sidecar.",
        "- nginx: its own temp config and prefix, `daemon off`, `access_log off`, `sendfile on`, `tcp_nopush on`, "
        "`keepalive_requests 1000000`, the five policy headers with `always`, `gzip on` (level 6, wasm/js/html/"
        "octet-stream), a second server block with `gzip_static on`, `autoindex on` for small/.",
        f"- Cold: a fresh copy of python.wasm under a new name per sample ({COLD_SAMPLES} per round), fetched once "
        "with `Accept-Encoding: gzip` by a raw-socket client that times the first byte of the body (not of the "
        "head) and the whole response; nginx `gzip on` compresses every response, so it is always cold. "
        f"Start: launch under taskset, poll GET /python.html until 200, median of {START_LAUNCHES} launches per "
        "round. CPU: utime+stime of the serving process from /proc/PID/stat around each wrk run. Bytes and "
        "headers were checked once per server before timing (sha256 of identity bodies, gunzip of gzip bodies).",
        "",
        *lines,
        "",
        *notes,
        "",
    ])
    print(report)
    if a.results != "-":
        open(a.results, "w").write(report)
        log(f"bench: wrote {a.results}")
    if any(problems.values()):
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
