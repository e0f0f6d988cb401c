#!/usr/bin/env bash
# `wasmdev check URL` against servers on loopback port 0: `wasmdev serve` of a site with a module
# (and its static import), a worker (and its importScripts) and a .wasm passes (exit 0, every
# resource listed); small python3 servers broken on purpose fail (exit 1) naming the fix:
# .wasm as text/plain, a worker script without COEP, COOP sent twice; bad URLs exit 2.
# Usage: check_deployments.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
site=$2/tests/fixtures/check-site
check() { timeout 120 "$bin" check --timeout 60 "$@"; }

# --- wasmdev serve: everything the page loads, found and passing -------------------------
"$bin" serve "$site" --port 0 > "$tmp/serve.log" 2>&1 &
pid=$!
url=$(wait_for_url "$tmp/serve.log") || fail "wasmdev serve did not print its URL: $(cat "$tmp/serve.log")"
check "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "check of wasmdev serve: exit $rc, want 0: $(cat "$tmp/out")"
for row in "page ${url}" "module ${url}main.mjs" "module ${url}lib.mjs" "worker ${url}worker.js" \
           "wasm ${url}app.wasm" "script ${url}helper.js"; do
  kind=${row%% *} u=${row#* }
  grep -qE "^ +200 $kind .* $u\$" "$tmp/out" || fail "check of wasmdev serve does not list $kind $u: $(cat "$tmp/out")"
done
grep -q 'commented-out' "$tmp/out" && fail "a script in an HTML comment was fetched: $(cat "$tmp/out")"
grep -qx 'cross-origin isolated: yes' "$tmp/out" || fail "wasmdev serve: not isolated: $(cat "$tmp/out")"
echo "ok: check passes on wasmdev serve and lists the page, both modules, the worker, its import and the .wasm"

check --json "$url" > "$tmp/json"; rc=$?
[ $rc = 0 ] || fail "--json: exit $rc"
python3 - "$tmp/json" <<'PY' || fail "--json: $(cat "$tmp/json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["works"] is True and r["cross_origin_isolated"] is True, r
kinds = sorted(x["kind"] for x in r["resources"])
assert kinds == ["module", "module", "page", "script", "wasm", "worker"], kinds
assert all(x["status"] == 200 for x in r["resources"]), r
assert r["problems"] == [], r["problems"]
PY
echo "ok: --json says works, isolated, six resources, no problem"
kill "$pid"; wait "$pid" 2>/dev/null; pid=

# --- Broken deployments: exit 1, the fix named -------------------------------------------
# broken MODE REGEX: the python3 server in MODE fails the check with a line matching REGEX.
broken() {
  python3 "$(dirname "$0")/check_server.py" "$site" "$1" > "$tmp/py.log" 2>&1 &
  pid=$!
  local u
  u=$(wait_for_url "$tmp/py.log") || fail "check_server.py $1 did not start: $(cat "$tmp/py.log")"
  check "$u" > "$tmp/out" 2>&1; rc=$?
  kill "$pid"; wait "$pid" 2>/dev/null; pid=
  if [ "$1" = good ]; then
    [ $rc = 0 ] || fail "$1: exit $rc, want 0: $(cat "$tmp/out")"
    return
  fi
  [ $rc = 1 ] || fail "$1: exit $rc, want 1: $(cat "$tmp/out")"
  grep -qE "$2" "$tmp/out" || fail "$1: no line matching '$2': $(cat "$tmp/out")"
  grep -q 'wasmdev deploy --format' "$tmp/out" || fail "$1: the fix names no deploy format: $(cat "$tmp/out")"
  grep -qx 'result: the page will not work.*' "$tmp/out" || fail "$1: no failing result line: $(cat "$tmp/out")"
}
broken good ''
echo "ok: the same site from a correct python3 server passes"
broken wasm-text-plain '^  error: http://[^ ]*/app\.wasm: mime: Content-Type: text/plain: .*instantiateStreaming'
grep -q 'fix: send Content-Type: application/wasm for .wasm files' "$tmp/out" || fail "wasm-text-plain: no fix: $(cat "$tmp/out")"
echo "ok: .wasm as text/plain fails, naming Content-Type: application/wasm"
broken worker-no-coep '^  error: http://[^ ]*/worker\.js: isolation: worker script without Cross-Origin-Embedder-Policy'
grep -q 'fix: send Cross-Origin-Embedder-Policy: require-corp on worker scripts too' "$tmp/out" || fail "worker-no-coep: no fix: $(cat "$tmp/out")"
echo "ok: a worker script without COEP fails, naming COEP on workers"
broken coop-doubled '^  error: http://[^ ]*/: header: Cross-Origin-Opener-Policy: same-origin, same-origin is a list'
grep -q 'fix: send Cross-Origin-Opener-Policy once' "$tmp/out" || fail "coop-doubled: no fix: $(cat "$tmp/out")"
grep -qx 'cross-origin isolated: no' "$tmp/out" || fail "coop-doubled: said isolated: $(cat "$tmp/out")"
echo "ok: COOP sent twice fails as not isolated, naming one COOP"

# --- HTTPS: wasmdev serve --tls, trusted through OpenSSL's SSL_CERT_FILE, and not trusted ----
XDG_CACHE_HOME=$tmp/cache "$bin" serve "$site" --port 0 --tls > "$tmp/tls.log" 2>&1 &
pid=$!
url=$(wait_for_match 'https://127\.0\.0\.1:[0-9]+/' 60 "$tmp/tls.log") || fail "serve --tls did not print its URL: $(cat "$tmp/tls.log")"
SSL_CERT_FILE=$tmp/cache/wasmdev/tls/ca.pem check "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 0 ] || fail "https with the CA trusted: exit $rc, want 0: $(cat "$tmp/out")"
[ "$(grep -cE '^ +200 ' "$tmp/out")" = 6 ] || fail "https: not six resources: $(cat "$tmp/out")"
SSL_CERT_FILE=/dev/null check "$url" > "$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "https with the CA not trusted: exit $rc, want 1: $(cat "$tmp/out")"
grep -q 'could not be fetched: TLS handshake: certificate verify failed' "$tmp/out" || fail "untrusted: $(cat "$tmp/out")"
grep -q 'fix: serve a certificate that browsers trust' "$tmp/out" || fail "untrusted: no fix: $(cat "$tmp/out")"
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "ok: https passes with the certificate trusted and fails, naming the certificate, without"

# --- Usage and unreachable servers ---------------------------------------------------------
"$bin" check ftp://127.0.0.1/ > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "ftp://: exit $rc, want 2"
[ "$(wc -l < "$tmp/out")" = 1 ] && grep -q 'unsupported scheme ftp' "$tmp/out" || fail "ftp://: $(cat "$tmp/out")"
"$bin" check 'not a url' > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "'not a url': exit $rc, want 2"
"$bin" check --browser --browser-binary "$tmp/no-such-browser" "http://127.0.0.1:1/" > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "--browser without a browser: exit $rc, want 2: $(cat "$tmp/out")"
grep -q 'is not an executable browser' "$tmp/out" || fail "--browser without a browser: $(cat "$tmp/out")"
"$bin" check > "$tmp/out" 2>&1; rc=$?
[ $rc = 2 ] || fail "no URL: exit $rc, want 2"
# A port nothing listens on (bound, then closed by python): exit 1, the page could not be fetched.
free=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
check "http://127.0.0.1:$free/" > "$tmp/out" 2>&1; rc=$?
[ $rc = 1 ] || fail "refused: exit $rc, want 1: $(cat "$tmp/out")"
grep -q 'could not be fetched: connecting to 127.0.0.1' "$tmp/out" || fail "refused: $(cat "$tmp/out")"
echo "ok: bad URLs exit 2 with one line; an unreachable server exits 1"
echo "PASS: check_deployments"
