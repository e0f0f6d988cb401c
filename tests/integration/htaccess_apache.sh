#!/usr/bin/env bash
# `wasmdev htaccess` against a real Apache httpd 2.4 (Debian's apache2-bin), started as our own
# process on a loopback port with a throwaway ServerRoot and AllowOverride All: the policy on
# 200 and 404, exact types, gzip for wasm/js/html/.data, sidecars with --precompressed,
# --cache, --header escaping, writing with -o/--force, and no 500 when mod_deflate,
# mod_headers or any other module is missing. Usage: htaccess_apache.sh WASMDEV REPO_ROOT
set -u
bin=$1
httpd=${WASMDEV_APACHE2:-/usr/sbin/apache2}  # override to test another build, or the skip
mods=/usr/lib/apache2/modules
if [ ! -x "$httpd" ] || [ ! -d "$mods" ]; then
  echo "SKIP: $httpd is missing (Debian package apache2-bin; ./scripts/setup.sh --test installs it)"; exit 77
fi
command -v curl >/dev/null || { echo "SKIP: curl is missing (Debian package curl)"; exit 77; }
[ -x "$bin" ] || { echo "FAIL: $bin is not an executable"; exit 1; }

. "$(dirname "$0")/process.bash"
tmp=$(mktemp -d)
chmod 755 "$tmp"  # as root, Apache's children run as www-data and must reach the site
pid=
fail() { echo "FAIL: $*"; [ -f "$tmp/error.log" ] && tail -n 20 "$tmp/error.log"; exit 1; }
stop() {
  end_process "$pid"
  pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

# The build: a valid wasm module padded past the 1 KiB compression threshold, scripts, a page,
# Emscripten's .data, a hashed asset, a source file and a real archive.
site=$tmp/site; mkdir -p "$site"
{ printf '\0asm\1\0\0\0'; head -c 6000 /dev/zero; } > "$site/python.wasm"
for i in $(seq 200); do echo "console.log('line $i of python.js');"; done > "$site/python.js"
cp "$site/python.js" "$site/loader.mjs"
cp "$site/python.js" "$site/app.0123abcd.js"
{ echo '<!doctype html><title>python</title>'; for i in $(seq 100); do echo "<p>paragraph $i</p>"; done; } > "$site/python.html"
head -c 5000 /dev/zero > "$site/python.data"
echo 'print("hello")' > "$site/hello.py"
tar -C "$site" -czf "$tmp/sources.tar.gz" hello.py && mv "$tmp/sources.tar.gz" "$site/"
chmod -R a+rX "$site"

if command -v python3 >/dev/null; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
else
  port=$((20000 + RANDOM % 40000))
fi
url=http://127.0.0.1:$port

# Runs httpd with exactly the given modules (plus the MPM, authz_core and dir). The first call
# starts it; later ones rewrite the config and restart it with SIGHUP, which re-reads the
# config and reloads modules in a tenth of the time a full stop takes.
# ALLOW_OVERRIDE picks what the site's <Directory> lets .htaccess do.
start() {
  {
    echo "ServerRoot $tmp"; echo "DefaultRuntimeDir $tmp"; echo "Listen 127.0.0.1:$port"
    echo "PidFile $tmp/httpd.pid"; echo "ErrorLog $tmp/error.log"; echo "ServerName localhost"
    for m in mpm_event authz_core dir "$@"; do echo "LoadModule ${m}_module $mods/mod_$m.so"; done
    [ "$(id -u)" = 0 ] && { echo "User www-data"; echo "Group www-data"; }
    echo "<IfModule mod_mime.c>"; echo "  TypesConfig /etc/mime.types"; echo "</IfModule>"
    echo "DocumentRoot $site"
    echo "<Directory $site>"; echo "  AllowOverride ${ALLOW_OVERRIDE:-All}"; echo "  Require all granted"; echo "</Directory>"
  } > "$tmp/httpd.conf"
  "$httpd" -t -f "$tmp/httpd.conf" 2> "$tmp/t.log" || fail "httpd -t with modules '$*': $(cat "$tmp/t.log")"
  local ready; ready=$(grep -c 'resuming normal operations' "$tmp/error.log" 2>/dev/null)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -HUP "$pid"
  else
    rm -f "$tmp/httpd.pid"
    "$httpd" -f "$tmp/httpd.conf" -k start || fail "httpd did not start with modules: $*"
    for _ in $(seq 50); do [ -s "$tmp/httpd.pid" ] && break; sleep 0.1; done
    pid=$(cat "$tmp/httpd.pid" 2>/dev/null) || fail "httpd wrote no pid file"
  fi
  for _ in $(seq 100); do
    [ "$(grep -c 'resuming normal operations' "$tmp/error.log" 2>/dev/null)" -gt "${ready:-0}" ] && break
    kill -0 "$pid" 2>/dev/null || fail "httpd exited with modules: $*"
    sleep 0.05
  done
  for _ in $(seq 50); do curl -s -m 2 -o /dev/null "$url/" && return 0; sleep 0.1; done
  fail "httpd did not answer on $url with modules: $*"
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
  expect "$1" Cache-Control "${2:-no-cache}"
}
expect_body() { cmp -s "$tmp/b" "$2" || fail "$1: body differs from $2"; }
expect_vary() { grep -i '^Vary:' "$tmp/headers" | grep -qi 'Accept-Encoding' || fail "$1: no Vary: Accept-Encoding"; }

# --- The default file, written with -o: policy, types, compression -----------------------
"$bin" htaccess > "$tmp/printed" || fail "wasmdev htaccess"
"$bin" htaccess "$site" -o > "$tmp/out" || fail "wasmdev htaccess -o: $(cat "$tmp/out")"
cmp -s "$tmp/printed" "$site/.htaccess" || fail "-o wrote other bytes than it prints"
start mime headers filter deflate rewrite

get "$url/python.wasm"
expect_status "python.wasm" 200; expect_policy "200"; expect "python.wasm" Content-Type application/wasm
expect_body "python.wasm without Accept-Encoding" "$site/python.wasm"
get "$url/missing.wasm"; expect_status "missing.wasm" 404; expect_policy "404"
get "$url/no/such/dir/x.js"; expect_status "missing dir" 404; expect_policy "404 in a missing directory"
for row in "python.js:text/javascript" "loader.mjs:text/javascript" "python.html:text/html; charset=utf-8" \
           "python.data:application/octet-stream" "hello.py:text/plain; charset=utf-8" \
           "sources.tar.gz:application/gzip"; do
  get "$url/${row%%:*}"; expect "${row%%:*}" Content-Type "${row#*:}"
done
for f in python.wasm python.js python.html python.data; do
  get -H 'Accept-Encoding: gzip' "$url/$f"
  expect "$f with Accept-Encoding: gzip" Content-Encoding gzip; expect_vary "$f"
  gzip -dc < "$tmp/b" | cmp -s - "$site/$f" || fail "$f gunzips to other bytes"
done
get -H 'Accept-Encoding: gzip' "$url/sources.tar.gz"
expect "sources.tar.gz" Content-Encoding ""; expect_body "sources.tar.gz" "$site/sources.tar.gz"
echo "ok: policy on 200 and 404, exact types, gzip for wasm/js/html/data, archives untouched"

# --- Writing: unchanged, refusal without --force, backups ---------------------------------
"$bin" htaccess "$site" -o > "$tmp/out" || fail "rewriting the same file failed"
grep -q unchanged "$tmp/out" || fail "same content: said '$(cat "$tmp/out")', not 'unchanged'"
cp "$site/.htaccess" "$tmp/first"
"$bin" htaccess "$site" -o --precompressed --cache > "$tmp/out" 2>&1 && fail "a different .htaccess was replaced without --force"
cmp -s "$site/.htaccess" "$tmp/first" || fail "the refused write changed .htaccess"
"$bin" htaccess "$site" -o --precompressed --cache --force > "$tmp/out" || fail "-o --force: $(cat "$tmp/out")"
cmp -s "$site/.htaccess.bak" "$tmp/first" || fail "no exact backup in .htaccess.bak"
"$bin" htaccess "$site" -o --force > /dev/null || fail "second -o --force"
[ -f "$site/.htaccess.bak.1" ] || fail "the second backup did not get a new name"
cmp -s "$site/.htaccess.bak" "$tmp/first" || fail "the second backup overwrote the first"
"$bin" htaccess "$site" -o --precompressed --cache --force > /dev/null || fail "third -o --force"
ls -a "$site" | grep -q wasmdev-tmp && fail "a temporary file was left in $site"
echo "ok: -o says unchanged, refuses without --force, keeps .htaccess.bak and .htaccess.bak.1"

# --- --precompressed and --cache ------------------------------------------------------------
for f in python.wasm python.js app.0123abcd.js; do gzip -9 -c "$site/$f" > "$site/$f.gz"; done
if command -v brotli >/dev/null; then
  brotli -c "$site/python.js" > "$site/python.js.br"; real_br=1
else
  # Apache sends a sidecar's bytes as they are, so the serving rules are checked all the same.
  echo "note: the brotli CLI is missing; python.js.br is a placeholder, its bytes are not decoded"
  printf 'placeholder, not brotli' > "$site/python.js.br"; real_br=0
fi
# The sidecar codings come from serve's coding table: zstd is listed before br and gzip.
zstd -q -19 -c "$site/python.wasm" > "$site/python.wasm.zst"
chmod a+r "$site"/*.gz "$site"/*.br "$site"/*.zst
start mime headers filter deflate rewrite

get -H 'Accept-Encoding: gzip' "$url/python.wasm"
expect_status "sidecar" 200; expect_policy "sidecar"
expect "python.wasm.gz" Content-Encoding gzip; expect "python.wasm.gz" Content-Type application/wasm
expect_body "python.wasm with Accept-Encoding: gzip" "$site/python.wasm.gz"; expect_vary "python.wasm.gz"
get -H 'Accept-Encoding: gzip, deflate, br' "$url/python.js"
expect "python.js.br" Content-Encoding br; expect "python.js.br" Content-Type text/javascript
expect_body "python.js with br" "$site/python.js.br"
[ "$real_br" = 1 ] && { brotli -dc < "$tmp/b" | cmp -s - "$site/python.js" || fail "python.js.br decodes to other bytes"; }
get -H 'Accept-Encoding: gzip, br, zstd' "$url/python.wasm"
expect "python.wasm.zst" Content-Encoding zstd; expect "python.wasm.zst" Content-Type application/wasm
expect_body "python.wasm with zstd" "$site/python.wasm.zst"; expect_vary "python.wasm.zst"
zstd -q -dc < "$tmp/b" | cmp -s - "$site/python.wasm" || fail "python.wasm.zst decodes to other bytes"
get -H 'Accept-Encoding: br;q=0, gzip' "$url/python.js"
expect "br;q=0" Content-Encoding gzip; expect_body "python.js with br;q=0" "$site/python.js.gz"
get "$url/python.wasm"
expect "no Accept-Encoding" Content-Encoding ""; expect_body "python.wasm identity" "$site/python.wasm"
get -H 'Accept-Encoding: gzip' "$url/app.0123abcd.js"
expect_policy "hashed sidecar" "public, max-age=31536000, immutable"; expect_body "hashed sidecar" "$site/app.0123abcd.js.gz"
get "$url/app.0123abcd.js"; expect_policy "hashed" "public, max-age=31536000, immutable"
get "$url/python.js"; expect_policy "unhashed with --cache"
get -H 'Accept-Encoding: gzip' "$url/sources.tar.gz"
expect "sources.tar.gz with --precompressed" Content-Type application/gzip
expect "sources.tar.gz with --precompressed" Content-Encoding ""
get "$url/missing.wasm"; expect_status "missing.wasm" 404; expect_policy "404 with --cache"
get "$url/missing.0123abcd.js"; expect_status "missing hashed" 404; expect_policy "404 of a hashed name"
echo "ok: --precompressed serves .zst/.br/.gz sidecars with the file's type (q=0 honoured); --cache for hashed names"

ALLOW_OVERRIDE=FileInfo start mime headers filter deflate rewrite
get -H 'Accept-Encoding: gzip' "$url/python.wasm"
expect_status "AllowOverride FileInfo" 200; expect_policy "AllowOverride FileInfo"
expect_body "AllowOverride FileInfo sidecar" "$site/python.wasm.gz"
echo "ok: AllowOverride FileInfo is enough, as the file's comment says"

# --- Missing modules lose their feature, never the site -----------------------------------
all="mime headers filter deflate rewrite"
for missing in deflate filter headers rewrite mime "$all"; do
  modules=$all
  for m in $missing; do modules=$(echo " $modules " | sed "s/ $m / /"); done
  start $modules
  for f in python.wasm python.js python.html python.data; do
    get -H 'Accept-Encoding: gzip' "$url/$f"
    expect_status "$f without mod_${missing// /, mod_}" 200
  done
  case " $modules " in
    *" headers "*) expect_policy "without mod_$missing" ;;
    *) [ -z "$(header Cross-Origin-Opener-Policy)" ] || fail "COOP without mod_headers?" ;;
  esac
  case " $modules " in *" mime "*) get "$url/python.wasm"; expect "without mod_$missing" Content-Type application/wasm ;; esac
done
echo "ok: 200, not 500, without mod_deflate, mod_filter, mod_headers, mod_rewrite, mod_mime or all five"

# --- A policy from flags, with characters each config syntax treats specially -------------
"$bin" htaccess "$site" -o --force --coep credentialless --corp cross-origin \
  --header 'X-Wasmdev-Check: 50% {ok} "quoted" C:\\dir\\' --header 'Cache-Control: max-age=60' > /dev/null || fail "-o with flags"
start mime headers filter deflate rewrite
get "$url/missing.wasm"
expect "flags" Cross-Origin-Embedder-Policy credentialless
expect "flags" Cross-Origin-Resource-Policy cross-origin
expect "flags" X-Wasmdev-Check '50% {ok} "quoted" C:\\dir\\'
expect "flags" Cache-Control max-age=60
echo "ok: --coep, --corp and --header (with % { } \" \\) reach the wire as given"

# --- Hostile names and values: quoted so Apache sends them as given, or refused ----------
. "$(dirname "$0")/htaccess_hostile.bash"
"$bin" htaccess "$site" -o --force --precompressed --cache "${hostile_args[@]}" --header 'X-Dollar: $HOME $ {HOME}' \
  > /dev/null || fail "-o with hostile headers"
hostile+=('X-Dollar: $HOME $ {HOME}')
start mime headers filter deflate rewrite
get "$url/python.js"; expect_status "hostile 200" 200; expect_hostile "200"; expect_body "hostile 200" "$site/python.js"
get "$url/missing.wasm"; expect_status "hostile 404" 404; expect_hostile "404"
get "$url/app.0123abcd.js"; expect_status "hostile hashed" 200; expect_hostile "hashed" Cache-Control
expect "hostile hashed" Cache-Control "public, max-age=31536000, immutable"
grep -q 'AH00111' "$tmp/error.log" && fail "Apache looked up a \${variable} from the .htaccess"
expect_refused apache 'X-Env: ${HOME}' '${'
expect_refused apache 'X-Expr: expr=%{REQUEST_URI}' 'expr='
expect_refused apache "X-Ctl: a$(printf '\033')b" control
expect_refused apache "X-Long: $(head -c 9000 /dev/zero | tr '\0' a)" 8000
# Many long headers: the comment naming the command is split so no line passes Apache's limit.
long=(); for i in $(seq 30); do long+=(--header "X-Long-$i: $(head -c 400 /dev/zero | tr '\0' v)"); done
"$bin" htaccess "$site" -o --force "${long[@]}" > /dev/null || fail "-o with 30 long headers"
start mime headers filter deflate rewrite
get "$url/python.js"; expect_status "30 long headers" 200
[ "$(header X-Long-30)" = "$(head -c 400 /dev/zero | tr '\0' v)" ] || fail "30 long headers: X-Long-30 is '$(header X-Long-30)'"
echo "ok: names and values with # ' \` ; { } \\ \" % and placeholders arrive exactly, nothing injected; \${, expr=, control, too long refused"
echo "PASS: htaccess on $("$httpd" -v | head -n1 | cut -d' ' -f3)"
