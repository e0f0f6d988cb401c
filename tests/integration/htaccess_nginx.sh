#!/usr/bin/env bash
# `wasmdev htaccess --format nginx` in a real nginx (Debian's nginx-core), started as our own
# process on a loopback port with a throwaway prefix, pid and logs: the policy on 200 and 404,
# exact types, gzip for wasm/js/html/.data, gzip_static sidecars with --precompressed, --cache
# for hashed names, and --header escaping. Usage: htaccess_nginx.sh WASMDEV REPO_ROOT
set -u
bin=$1
nginx=${WASMDEV_NGINX:-/usr/sbin/nginx}  # override to test another build, or the skip
[ -x "$nginx" ] || { echo "SKIP: $nginx is missing (Debian package nginx-core; ./scripts/setup.sh --test installs it)"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl is missing (Debian package curl)"; exit 77; }
[ -x "$bin" ] || { echo "FAIL: $bin is not an executable"; exit 1; }

. "$(dirname "$0")/process.bash"
tmp=$(mktemp -d)
chmod 755 "$tmp"  # as root, nginx's worker runs as www-data and must reach the site
pid=
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -n 20 "$tmp/error.log"; exit 1; }
stop() {
  end_process "$pid"
  pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

site=$tmp/site; mkdir -p "$site"
{ printf '\0asm\1\0\0\0'; head -c 6000 /dev/zero; } > "$site/python.wasm"
for i in $(seq 200); do echo "console.log('line $i of python.js');"; done > "$site/python.js"
cp "$site/python.js" "$site/loader.mjs"
cp "$site/python.js" "$site/app.0123abcd.js"
{ echo '<!doctype html><title>python</title>'; for i in $(seq 100); do echo "<p>paragraph $i</p>"; done; } > "$site/python.html"
head -c 5000 /dev/zero > "$site/python.data"
cp "$site/python.data" "$site/python.0123abcd.data"
head -c 5000 /dev/zero > "$site/python.pyc"
echo 'print("hello")' > "$site/hello.py"
gzip -9 -c "$site/python.wasm" > "$site/python.wasm.gz"
chmod -R a+rX "$site"

if command -v python3 >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
else
  port=$((20000 + RANDOM % 40000))
fi
url=http://127.0.0.1:$port

# Starts nginx with the snippet `wasmdev htaccess --format nginx ARGS...` writes.
start() {
  stop; rm -f "$tmp/nginx.pid" "$tmp/error.log"
  "$bin" htaccess --format nginx "$@" > "$tmp/wasmdev.conf" || fail "wasmdev htaccess --format nginx $*"
  cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
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
  "$nginx" -e "$tmp/error.log" -p "$tmp" -c "$tmp/nginx.conf" -t -q 2> "$tmp/t.log" || fail "nginx -t: $(cat "$tmp/t.log")"
  "$nginx" -e "$tmp/error.log" -p "$tmp" -c "$tmp/nginx.conf" &
  pid=$!
  for _ in $(seq 50); do curl -s -m 2 -o /dev/null "$url/python.wasm" && return 0; sleep 0.1; done
  fail "nginx did not answer on $url"
}
get() { curl -s -m 10 -D "$tmp/h" -o "$tmp/b" "$@"; tr -d '\r' < "$tmp/h" > "$tmp/headers"; }
header() { grep -i "^$1:" "$tmp/headers" | head -n1 | cut -d' ' -f2-; }
status() { head -n1 "$tmp/headers" | cut -d' ' -f2; }
expect() {  # expect LABEL HEADER VALUE
  [ "$(header "$2")" = "$3" ] || fail "$1: $2 is '$(header "$2")', expected '$3'"
}
expect_status() { [ "$(status)" = "$2" ] || fail "$1: status $(status), expected $2"; }
expect_policy() {  # expect_policy LABEL [CACHE-CONTROL]
  expect "$1" Cross-Origin-Opener-Policy same-origin
  expect "$1" Cross-Origin-Embedder-Policy require-corp
  expect "$1" Cross-Origin-Resource-Policy same-site
  expect "$1" X-Content-Type-Options nosniff
  local cc=${2:-no-cache}; [ "$cc" = none ] && cc=
  expect "$1" Cache-Control "$cc"
}
expect_body() { cmp -s "$tmp/b" "$2" || fail "$1: body differs from $2"; }
expect_gzip_of() {  # expect_gzip_of LABEL FILE
  expect "$1" Content-Encoding gzip
  grep -i '^Vary:' "$tmp/headers" | grep -qi 'Accept-Encoding' || fail "$1: no Vary: Accept-Encoding"
  gzip -dc < "$tmp/b" | cmp -s - "$2" || fail "$1: gunzips to other bytes than $2"
}

# --- The default snippet: policy, types, compression --------------------------------------
start
get "$url/python.js"
[ "$(grep -ci '^Content-Type:' "$tmp/headers")" = 1 ] || fail "python.js: not exactly one Content-Type: $(cat "$tmp/headers")"
get "$url/python.wasm"
expect_status "python.wasm" 200; expect_policy 200; expect "python.wasm" Content-Type application/wasm
expect_body "python.wasm without Accept-Encoding" "$site/python.wasm"
get "$url/missing.wasm"; expect_status "missing.wasm" 404; expect_policy 404
for row in "python.js:text/javascript" "loader.mjs:text/javascript" "python.html:text/html; charset=utf-8" \
           "python.data:application/octet-stream" "hello.py:text/plain; charset=utf-8"; do
  get "$url/${row%%:*}"; expect "${row%%:*}" Content-Type "${row#*:}"
done
for f in python.wasm python.js python.html python.data; do
  get -H 'Accept-Encoding: gzip' "$url/$f"; expect_gzip_of "$f" "$site/$f"; expect_policy "$f gzipped"
done
get -H 'Accept-Encoding: gzip' "$url/python.pyc"
expect "python.pyc (octet-stream, not .data)" Content-Encoding ""
get -H 'Accept-Encoding: gzip' "$url/python.wasm"
[ "$(gzip -dc < "$tmp/b" | cmp -s - "$site/python.wasm"; echo $?)" = 0 ] || fail "without --precompressed: not dynamic gzip"
cmp -s "$tmp/b" "$site/python.wasm.gz" && fail "without --precompressed the sidecar was served"
echo "ok: policy on 200 and 404, exact types, gzip for wasm/js/html/data (not .pyc)"

# --- --precompressed and --cache ------------------------------------------------------------
start --precompressed --cache
get -H 'Accept-Encoding: gzip' "$url/python.wasm"
expect_body "gzip_static" "$site/python.wasm.gz"; expect "sidecar" Content-Encoding gzip
expect "sidecar" Content-Type application/wasm; expect_policy "sidecar"
get "$url/python.wasm"; expect "no Accept-Encoding" Content-Encoding ""; expect_body "identity" "$site/python.wasm"
get "$url/app.0123abcd.js"; expect_policy "hashed asset" "public, max-age=31536000, immutable"
expect "hashed asset" Content-Type text/javascript
get -H 'Accept-Encoding: gzip' "$url/python.0123abcd.data"
expect_policy "hashed .data" "public, max-age=31536000, immutable"; expect_gzip_of "hashed .data" "$site/python.0123abcd.data"
get -H 'Accept-Encoding: gzip' "$url/python.data"; expect_policy "unhashed .data with --cache"; expect_gzip_of "python.data" "$site/python.data"
get "$url/python.js"; expect_policy "unhashed with --cache"
# nginx cannot make add_header depend on the status; a 404 gets no Cache-Control rather than a year.
get "$url/missing.0123abcd.js"; expect_status "missing hashed" 404; expect_policy "404 of a hashed name" none
echo "ok: --precompressed (gzip_static) and --cache, .data still compressed under both"

# --- A policy from flags --------------------------------------------------------------------
start --coep credentialless --corp cross-origin --header 'X-Wasmdev-Check: 50% {ok} "quoted" C:\\dir\\' --header 'Cache-Control: max-age=60'
get "$url/missing.wasm"
expect "flags" Cross-Origin-Embedder-Policy credentialless
expect "flags" Cross-Origin-Resource-Policy cross-origin
expect "flags" X-Wasmdev-Check '50% {ok} "quoted" C:\\dir\\'
expect "flags" Cache-Control max-age=60
"$bin" htaccess --format nginx --header 'X-Bad: $host' > "$tmp/out" 2>&1
rc=$?; [ "$rc" = 2 ] || fail "a '\$' for nginx: exit $rc, expected 2 (usage)"
grep -q 'nginx' "$tmp/out" || fail "a '\$' for nginx: the error does not say why: $(cat "$tmp/out")"
echo "ok: --coep, --corp and --header (with % { } \" \\) reach the wire as given; '\$' is refused"

# --- Hostile names and values: quoted so nginx sends them as given, or refused ------------
. "$(dirname "$0")/htaccess_hostile.bash"
start --precompressed --cache "${hostile_args[@]}"
get "$url/python.js"; expect_status "hostile 200" 200; expect_hostile "200"; expect_body "hostile 200" "$site/python.js"
expect_policy "hostile 200" 'max-age=60, "quoted\"'
get "$url/missing.wasm"; expect_status "hostile 404" 404; expect_hostile "404"
get "$url/app.0123abcd.js"; expect_status "hostile hashed" 200; expect_hostile "hashed" Cache-Control
expect "hostile hashed" Cache-Control "public, max-age=31536000, immutable"
expect_refused nginx 'X-Host: $host' "'\$'"
expect_refused nginx 'X-Empty:' empty
expect_refused nginx "X-Ctl: a$(printf '\001')b" control
expect_refused nginx "X-Long: $(head -c 5000 /dev/zero | tr '\0' a)" 4000
# A header the server derives per file (nginx's types {} and etag) would go out twice: nginx
# answered python.js with "Content-Type: text/javascript" and "Content-Type: text/plain".
for h in 'Content-Type: text/plain' 'content-encoding: gzip' 'ETag: "x"' 'Last-Modified: x' 'Content-Range: x'; do
  expect_refused nginx "$h" "${h%%:*}"
done
echo "ok: names and values with # ' \` ; { } \\ \" and placeholders arrive exactly, nothing injected; \$, empty, control, too long refused"
echo "PASS: htaccess --format nginx on $("$nginx" -v 2>&1 | cut -d' ' -f3)"
