#!/usr/bin/env bash
# `wasmdev htaccess --format caddy` in a real Caddy (Debian's caddy), started as our own
# process on a loopback port: headers on 200 and 404, exact types, compression for
# wasm/js/html/.data, precompressed sidecars and --cache. Usage: htaccess_caddy.sh WASMDEV REPO_ROOT
set -u
bin=$1
caddy=$(command -v caddy) || { echo "SKIP: caddy is missing (Debian package caddy; run ./scripts/setup.sh --test)"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl is missing"; exit 77; }
tmp=$(mktemp -d)
pid=
fail() { echo "FAIL: $*"; tail -n 20 "$tmp/caddy.log" 2>/dev/null; exit 1; }
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap 'stop; rm -rf "$tmp"' EXIT

site=$tmp/site; mkdir -p "$site"
{ printf '\0asm\1\0\0\0'; head -c 6000 /dev/zero; } > "$site/python.wasm"
for i in $(seq 200); do echo "console.log('line $i of python.js');"; done > "$site/python.js"
cp "$site/python.js" "$site/loader.mjs"
cp "$site/python.js" "$site/app.0123abcd.js"
{ echo '<!doctype html><title>python</title>'; for i in $(seq 100); do echo "<p>paragraph $i</p>"; done; } > "$site/python.html"
head -c 5000 /dev/zero > "$site/python.data"
gzip -9 -k -c "$site/python.wasm" > "$site/python.wasm.gz"
zstd -q -19 -c "$site/python.wasm" > "$site/python.wasm.zst"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

start() {
  stop
  "$bin" htaccess --format caddy "$@" > "$tmp/wasmdev.caddy" || fail "wasmdev htaccess --format caddy $*"
  printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\troot * %s\n\timport %s\n}\n' "$port" "$site" "$tmp/wasmdev.caddy" > "$tmp/Caddyfile"
  HOME=$tmp XDG_DATA_HOME=$tmp XDG_CONFIG_HOME=$tmp "$caddy" run --config "$tmp/Caddyfile" --adapter caddyfile > "$tmp/caddy.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -s -m 2 -o /dev/null "http://127.0.0.1:$port/python.wasm" && return 0; sleep 0.1; done
  fail "caddy did not answer"
}
get() { curl -s -m 10 -D "$tmp/h" -o "$tmp/b" "$@"; tr -d '\r' < "$tmp/h" > "$tmp/headers"; }
header() { grep -i "^$1:" "$tmp/headers" | head -n1 | cut -d' ' -f2-; }
status() { head -n1 "$tmp/headers" | cut -d' ' -f2; }
expect_policy() {
  [ "$(header Cross-Origin-Opener-Policy)" = same-origin ] || fail "$1: COOP is '$(header Cross-Origin-Opener-Policy)'"
  [ "$(header Cross-Origin-Resource-Policy)" = same-site ] || fail "$1: CORP is '$(header Cross-Origin-Resource-Policy)'"
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
for f in python.wasm python.js python.html python.data; do
  get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/$f"
  [ "$(header Content-Encoding)" = gzip ] || fail "$f not gzipped"
  gzip -dc < "$tmp/b" | cmp -s - "$site/$f" || fail "$f gunzips to other bytes"
done
echo "ok: headers on 200 and 404, exact types, gzip for wasm/js/html/data"

start --precompressed --cache
get -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/python.wasm"
cmp -s "$tmp/b" "$site/python.wasm.gz" || fail "precompressed: not the sidecar's bytes"
[ "$(header Content-Type)" = application/wasm ] || fail "sidecar type '$(header Content-Type)'"
get -H 'Accept-Encoding: gzip, zstd' "http://127.0.0.1:$port/python.wasm"
cmp -s "$tmp/b" "$site/python.wasm.zst" || fail "precompressed zstd: not the .zst sidecar's bytes ($(header Content-Encoding))"
[ "$(header Content-Encoding)" = zstd ] || fail "zstd sidecar: Content-Encoding '$(header Content-Encoding)'"
get "http://127.0.0.1:$port/app.0123abcd.js"
[ "$(header Cache-Control)" = "public, max-age=31536000, immutable" ] || fail "--cache: '$(header Cache-Control)'"
get "http://127.0.0.1:$port/python.js"; [ "$(header Cache-Control)" = no-cache ] || fail "unhashed with --cache: '$(header Cache-Control)'"
get "http://127.0.0.1:$port/missing.0123abcd.js"; [ "$(status)" = 404 ] || fail "missing hashed: status $(status)"
expect_policy "404 of a hashed name"
[ "$(header Cache-Control)" = no-cache ] || fail "404 of a hashed name: Cache-Control '$(header Cache-Control)'"
echo "ok: --precompressed and --cache (not on errors)"

start --coep credentialless --header 'X-Wasmdev-Check: 50% {ok} "quoted" C:\\dir\\' --header 'Cache-Control: max-age=60'
get "http://127.0.0.1:$port/missing.wasm"
[ "$(header Cross-Origin-Embedder-Policy)" = credentialless ] || fail "--coep: '$(header Cross-Origin-Embedder-Policy)'"
[ "$(header X-Wasmdev-Check)" = '50% {ok} "quoted" C:\\dir\\' ] || fail "--header: '$(header X-Wasmdev-Check)'"
[ "$(header Cache-Control)" = max-age=60 ] || fail "--header Cache-Control: '$(header Cache-Control)'"
"$bin" htaccess --format caddy --header '-X-Bad: 1' > "$tmp/out" 2>&1
rc=$?; [ "$rc" = 2 ] || fail "a leading '-' for Caddy: exit $rc, expected 2 (usage)"
echo "ok: --coep and --header (with % { } \" \\) reach the wire as given; a leading '-' is refused"

# --- Hostile names and values: quoted so Caddy sends them as given, or refused -----------
. "$(dirname "$0")/htaccess_hostile.bash"
export WASMDEV_CADDY_SECRET=leaked  # a {$VAR} the file must never expand (Caddy inherits it)
start --precompressed --cache "${hostile_args[@]}" --header 'X-Env-Like: { $WASMDEV_CADDY_SECRET } {env.WASMDEV_CADDY_SECRET}'
hostile+=('X-Env-Like: { $WASMDEV_CADDY_SECRET } {env.WASMDEV_CADDY_SECRET}')
get "http://127.0.0.1:$port/python.js"; [ "$(status)" = 200 ] || fail "hostile 200: status $(status)"; expect_hostile "200"
cmp -s "$tmp/b" "$site/python.js" || fail "hostile 200: body differs"
get "http://127.0.0.1:$port/missing.wasm"; [ "$(status)" = 404 ] || fail "hostile 404: status $(status)"; expect_hostile "404"
get "http://127.0.0.1:$port/app.0123abcd.js"; expect_hostile "hashed" Cache-Control
[ "$(header Cache-Control)" = "public, max-age=31536000, immutable" ] || fail "hostile hashed: '$(header Cache-Control)'"
grep -q leaked "$tmp/headers" && fail "an environment variable reached a header"
expect_refused caddy '+X-Add: 1' "'+'"
expect_refused caddy 'X-Env: {$WASMDEV_CADDY_SECRET}' '{$'
expect_refused caddy "X-Latin1: caf$(printf '\351')" UTF-8
expect_refused caddy 'X-Both: `\"' backtick
expect_refused caddy "X-Ctl: a$(printf '\177')b" control
echo "ok: names and values with # ' \` ; { } \\ \" and placeholders arrive exactly, nothing injected; + - {\$ invalid UTF-8, control refused"
echo "PASS: htaccess --format caddy on $("$caddy" version | cut -d' ' -f1)"
