#!/usr/bin/env bash
# `wasmdev htaccess --format nginx` in a real nginx (Debian's nginx-core), started as our
# own process on a loopback port: headers on 200 and 404, exact types, gzip for
# wasm/js/html, gzip_static sidecars with --precompressed, --cache for hashed names.
# Usage: htaccess_nginx.sh WASMDEV REPO_ROOT
set -u
bin=$1
nginx=/usr/sbin/nginx
[ -x "$nginx" ] || { echo "SKIP: $nginx is missing (Debian package nginx-core; run ./scripts/setup.sh --test)"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl is missing"; exit 77; }
tmp=$(mktemp -d); chmod 755 "$tmp"
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -n 20 "$tmp/error.log"; exit 1; }
stop() { [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null; sleep 0.3; }
trap 'stop; rm -rf "$tmp"' EXIT

site=$tmp/site; mkdir -p "$site"
{ printf '\0asm\1\0\0\0'; head -c 6000 /dev/zero; } > "$site/python.wasm"
for i in $(seq 200); do echo "console.log('line $i of python.js');"; done > "$site/python.js"
cp "$site/python.js" "$site/loader.mjs"
cp "$site/python.js" "$site/app.0123abcd.js"
{ echo '<!doctype html><title>python</title>'; for i in $(seq 100); do echo "<p>paragraph $i</p>"; done; } > "$site/python.html"
gzip -9 -k -c "$site/python.wasm" > "$site/python.wasm.gz"
chmod -R a+rX "$site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start() {
  stop; rm -f "$tmp/nginx.pid"
  "$bin" htaccess --format nginx "$@" > "$tmp/wasmdev.conf" || fail "wasmdev htaccess --format nginx $*"
  cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/error.log;
$( [ "$(id -u)" = 0 ] && echo "user www-data;" )
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $tmp/body; proxy_temp_path $tmp/proxy; fastcgi_temp_path $tmp/fcgi;
  uwsgi_temp_path $tmp/uwsgi; scgi_temp_path $tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $site;
    include $tmp/wasmdev.conf;
  }
}
CONF
  "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -t -q 2>"$tmp/t.log" || fail "nginx -t: $(cat "$tmp/t.log")"
  "$nginx" -p "$tmp" -c "$tmp/nginx.conf" || fail "nginx did not start"
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/python.wasm" && return 0; sleep 0.1; done
  fail "nginx did not answer"
}
get() { curl -s -D "$tmp/h" -o "$tmp/b" "$@"; tr -d '\r' < "$tmp/h" > "$tmp/headers"; }
header() { grep -i "^$1:" "$tmp/headers" | head -n1 | cut -d' ' -f2-; }
status() { head -n1 "$tmp/headers" | cut -d' ' -f2; }
expect_policy() {
  [ "$(header Cross-Origin-Opener-Policy)" = same-origin ] || fail "$1: COOP is '$(header Cross-Origin-Opener-Policy)'"
  [ "$(header Cross-Origin-Embedder-Policy)" = require-corp ] || fail "$1: COEP is '$(header Cross-Origin-Embedder-Policy)'"
  [ "$(header X-Content-Type-Options)" = nosniff ] || fail "$1: nosniff missing"
}

start
get "http://127.0.0.1:$port/python.wasm"
[ "$(status)" = 200 ] || fail "status $(status)"; expect_policy 200
[ "$(header Content-Type)" = application/wasm ] || fail "wasm type '$(header Content-Type)'"
get "http://127.0.0.1:$port/missing.wasm"; [ "$(status)" = 404 ] || fail "404 status $(status)"; expect_policy 404
get "http://127.0.0.1:$port/loader.mjs"; [ "$(header Content-Type)" = text/javascript ] || fail "mjs type '$(header Content-Type)'"
get "http://127.0.0.1:$port/python.html"; [ "$(header Content-Type)" = "text/html; charset=utf-8" ] || fail "html type '$(header Content-Type)'"
for f in python.wasm python.js python.html; do
  get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/$f"
  [ "$(header Content-Encoding)" = gzip ] || fail "$f not gzipped"
  gzip -dc < "$tmp/b" | cmp -s - "$site/$f" || fail "$f gunzips to other bytes"
done
echo "ok: headers on 200 and 404, exact types, gzip for wasm/js/html"

start --precompressed --cache
get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/python.wasm"
cmp -s "$tmp/b" "$site/python.wasm.gz" || fail "gzip_static did not serve the sidecar's bytes"
[ "$(header Content-Type)" = application/wasm ] || fail "sidecar type '$(header Content-Type)'"
get "http://127.0.0.1:$port/app.0123abcd.js"
[ "$(header Cache-Control)" = "public, max-age=31536000, immutable" ] || fail "--cache: '$(header Cache-Control)'"
expect_policy "hashed asset"
get "http://127.0.0.1:$port/python.js"; [ "$(header Cache-Control)" = no-cache ] || fail "unhashed: '$(header Cache-Control)'"
echo "ok: --precompressed (gzip_static) and --cache"
echo "PASS: htaccess --format nginx on $("$nginx" -v 2>&1 | cut -d' ' -f3)"
