#!/usr/bin/env bash
# `wasmdev htaccess` against a real Apache httpd (Debian's apache2-bin), started as our own
# process on a loopback port with AllowOverride All: the isolation headers on 200 and 404,
# exact types, gzip for wasm/js/html, sidecars with --precompressed, and no 500 when
# mod_deflate or mod_headers is missing. Usage: htaccess_apache.sh WASMDEV REPO_ROOT
set -u
bin=$1
httpd=/usr/sbin/apache2
mods=/usr/lib/apache2/modules
if [ ! -x "$httpd" ] || [ ! -d "$mods" ]; then
  echo "SKIP: $httpd is missing (Debian package apache2-bin; run ./scripts/setup.sh --test)"; exit 77
fi
command -v curl >/dev/null || { echo "SKIP: curl is missing"; exit 77; }
tmp=$(mktemp -d); chmod 755 "$tmp"
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -n 20 "$tmp/error.log"; exit 1; }
stop() { [ -f "$tmp/httpd.pid" ] && kill "$(cat "$tmp/httpd.pid")" 2>/dev/null; sleep 0.3; }
trap 'stop; rm -rf "$tmp"' EXIT

# A small build: a valid wasm module padded past the compression threshold, JS, HTML, data.
site=$tmp/site; mkdir -p "$site"
{ printf '\0asm\1\0\0\0'; head -c 6000 /dev/zero; } > "$site/python.wasm"
for i in $(seq 200); do echo "console.log('line $i of python.js');"; done > "$site/python.js"
cp "$site/python.js" "$site/loader.mjs"
{ echo '<!doctype html><title>python</title>'; for i in $(seq 100); do echo "<p>paragraph $i</p>"; done; } > "$site/python.html"
head -c 5000 /dev/zero > "$site/python.data"
chmod -R a+rX "$site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# Starts httpd with the given modules loaded (mpm, authz and dir always).
start() {
  stop; rm -f "$tmp/httpd.pid"
  {
    echo "ServerRoot $tmp"; echo "Listen 127.0.0.1:$port"; echo "PidFile $tmp/httpd.pid"
    echo "ErrorLog $tmp/error.log"; echo "ServerName localhost"
    for m in mpm_event authz_core dir "$@"; do echo "LoadModule ${m}_module $mods/mod_$m.so"; done
    [ "$(id -u)" = 0 ] && { echo "User www-data"; echo "Group www-data"; }
    echo "TypesConfig /etc/mime.types"
    echo "DocumentRoot $site"
    echo "<Directory $site>"; echo "  AllowOverride All"; echo "  Require all granted"; echo "</Directory>"
  } > "$tmp/httpd.conf"
  "$httpd" -f "$tmp/httpd.conf" -k start || fail "httpd did not start"
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  fail "httpd did not answer"
}
get() { curl -s -D "$tmp/h" -o "$tmp/b" "$@"; tr -d '\r' < "$tmp/h" > "$tmp/headers"; }
header() { grep -i "^$1:" "$tmp/headers" | head -n1 | cut -d' ' -f2-; }
status() { head -n1 "$tmp/headers" | cut -d' ' -f2; }
expect_policy() {
  [ "$(header Cross-Origin-Opener-Policy)" = same-origin ] || fail "$1: COOP is '$(header Cross-Origin-Opener-Policy)'"
  [ "$(header Cross-Origin-Embedder-Policy)" = require-corp ] || fail "$1: COEP is '$(header Cross-Origin-Embedder-Policy)'"
  [ "$(header Cross-Origin-Resource-Policy)" = same-site ] || fail "$1: CORP missing"
  [ "$(header X-Content-Type-Options)" = nosniff ] || fail "$1: nosniff missing"
}

"$bin" htaccess "$site" -o >/dev/null || fail "wasmdev htaccess -o"
[ -f "$site/.htaccess" ] || fail "no .htaccess written"
start mime headers filter deflate rewrite

get "http://127.0.0.1:$port/python.wasm"
[ "$(status)" = 200 ] || fail "python.wasm status $(status)"; expect_policy "200"
[ "$(header Content-Type)" = application/wasm ] || fail "wasm type is '$(header Content-Type)'"
get "http://127.0.0.1:$port/missing.wasm"
[ "$(status)" = 404 ] || fail "missing status $(status)"; expect_policy "404"
get "http://127.0.0.1:$port/python.js"; [ "$(header Content-Type)" = text/javascript ] || fail "js type '$(header Content-Type)'"
get "http://127.0.0.1:$port/loader.mjs"; [ "$(header Content-Type)" = text/javascript ] || fail "mjs type '$(header Content-Type)'"
get "http://127.0.0.1:$port/python.html"; [ "$(header Content-Type)" = "text/html; charset=utf-8" ] || fail "html type '$(header Content-Type)'"
for f in python.wasm python.js python.html python.data; do
  get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/$f"
  [ "$(header Content-Encoding)" = gzip ] || fail "$f not gzipped (Content-Encoding '$(header Content-Encoding)')"
  gzip -dc < "$tmp/b" | cmp -s - "$site/$f" || fail "$f gunzips to other bytes"
done
echo "ok: headers on 200 and 404, exact types, gzip for wasm/js/html/data"

# --precompressed: sidecars served as the file, with its type.
gzip -9 -k -c "$site/python.wasm" > "$site/python.wasm.gz"; chmod a+r "$site/python.wasm.gz"
"$bin" htaccess "$site" -o --precompressed >/dev/null 2>&1 && fail "a different .htaccess was replaced without --force"
"$bin" htaccess "$site" -o --precompressed --force >/dev/null || fail "-o --force"
[ -f "$site/.htaccess.bak" ] || fail "no backup of the replaced .htaccess"
start mime headers filter deflate rewrite
get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/python.wasm"
[ "$(header Content-Encoding)" = gzip ] || fail "sidecar: Content-Encoding '$(header Content-Encoding)'"
[ "$(header Content-Type)" = application/wasm ] || fail "sidecar: Content-Type '$(header Content-Type)'"
cmp -s "$tmp/b" "$site/python.wasm.gz" || fail "sidecar: body is not the .gz file's bytes"
expect_policy "sidecar"
get "http://127.0.0.1:$port/python.wasm"
[ -z "$(header Content-Encoding)" ] || fail "no Accept-Encoding, yet '$(header Content-Encoding)'"
cmp -s "$tmp/b" "$site/python.wasm" || fail "identity body differs"
echo "ok: --precompressed serves python.wasm.gz as python.wasm"

# Missing modules lose their feature, never the site.
start mime headers filter
get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/python.wasm"
[ "$(status)" = 200 ] || fail "without mod_deflate: status $(status)"
start mime
get "http://127.0.0.1:$port/python.wasm"
[ "$(status)" = 200 ] || fail "without mod_headers: status $(status)"
echo "ok: no 500 without mod_deflate or mod_headers"
echo "PASS: htaccess on Apache $("$httpd" -v | head -n1 | cut -d' ' -f3)"
