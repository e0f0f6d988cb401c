#!/usr/bin/env bash
# `wasmdev check` passes on real nginx, Apache httpd and Caddy serving the check fixture site
# (a module and its import, a worker and its importScripts, a .wasm) with the config today's
# `wasmdev htaccess --format nginx|apache|caddy` writes: what check asks of a deployment is what
# the config generator gives. Each server is our own process on a loopback port with a
# throwaway prefix; a missing server is skipped (all missing: exit 77).
# Usage: check_real_servers.sh WASMDEV REPO_ROOT
set -u
bin=$(realpath "$1")
command -v curl >/dev/null || { echo "SKIP: curl is missing"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 is missing"; exit 77; }
. "$(dirname "$0")/process.bash"
tmp=$(mktemp -d)
chmod 755 "$tmp"  # as root, nginx's and Apache's workers run as www-data and must reach the site
pid=
fail() { echo "FAIL: $*"; for f in "$tmp"/*.log; do [ -f "$f" ] && { echo "== $f"; tail -n 20 "$f"; }; done; exit 1; }
stop() {
  end_process "$pid"
  pid=
}
trap 'stop; rm -rf "$tmp"' EXIT

site=$tmp/site
cp -R "$2/tests/fixtures/check-site" "$site"
# A module past the 1 KiB compression threshold: check warns when it comes uncompressed.
for i in $(seq 100); do echo "export const line$i = 'line $i of a module large enough to be compressed';"; done >> "$site/lib.mjs"
chmod -R a+rX "$site"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port/
answering() { for _ in $(seq 100); do curl -s -m 2 -o /dev/null "$url" && return 0; sleep 0.1; done; return 1; }
checked=0

# check_passes NAME: wasmdev check exits 0 on $url, finds all six resources, with no warning
# (compression included).
check_passes() {
  timeout 120 "$bin" check --timeout 60 "$url" > "$tmp/out" 2>&1; rc=$?
  [ $rc = 0 ] || fail "$1: check exit $rc, want 0: $(cat "$tmp/out")"
  [ "$(grep -cE '^ +200 ' "$tmp/out")" = 6 ] || fail "$1: not six resources answered 200: $(cat "$tmp/out")"
  grep -qE '\(0 errors, 0 warnings' "$tmp/out" || fail "$1: warnings: $(cat "$tmp/out")"
  echo "ok: check passes on $1 with wasmdev htaccess --format $2"
  checked=$((checked + 1))
}

nginx=${WASMDEV_NGINX:-/usr/sbin/nginx}
if [ -x "$nginx" ]; then
  "$bin" htaccess --format nginx > "$tmp/wasmdev.conf" || fail "wasmdev htaccess --format nginx"
  mkdir -p "$tmp/nginx"
  cat > "$tmp/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
$( [ "$(id -u)" = 0 ] && echo "user www-data;" )
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body; proxy_temp_path $tmp/nginx/proxy; fastcgi_temp_path $tmp/nginx/fcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi; scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$port;
    root $site;
    include $tmp/wasmdev.conf;
  }
}
CONF
  "$nginx" -e "$tmp/nginx-error.log" -p "$tmp/nginx" -c "$tmp/nginx.conf" &
  pid=$!
  answering || fail "nginx did not answer on $url"
  check_passes nginx nginx
  stop
else
  echo "skip: $nginx is missing (Debian package nginx-core)"
fi

caddy=$(command -v caddy)
if [ -n "$caddy" ]; then
  "$bin" htaccess --format caddy > "$tmp/wasmdev.caddy" || fail "wasmdev htaccess --format caddy"
  printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\troot * %s\n\timport %s\n}\n' "$port" "$site" "$tmp/wasmdev.caddy" > "$tmp/Caddyfile"
  HOME=$tmp XDG_DATA_HOME=$tmp XDG_CONFIG_HOME=$tmp "$caddy" run --config "$tmp/Caddyfile" --adapter caddyfile > "$tmp/caddy.log" 2>&1 &
  pid=$!
  answering || fail "caddy did not answer on $url"
  check_passes Caddy caddy
  stop
else
  echo "skip: caddy is missing (Debian package caddy)"
fi

httpd=${WASMDEV_APACHE2:-/usr/sbin/apache2}
mods=/usr/lib/apache2/modules
if [ -x "$httpd" ] && [ -d "$mods" ]; then
  "$bin" htaccess -o "$site" > /dev/null || fail "wasmdev htaccess -o"
  chmod a+r "$site/.htaccess"
  {
    echo "ServerRoot $tmp"; echo "DefaultRuntimeDir $tmp"; echo "Listen 127.0.0.1:$port"
    echo "PidFile $tmp/httpd.pid"; echo "ErrorLog $tmp/apache-error.log"; echo "ServerName localhost"
    for m in mpm_event authz_core dir mime headers filter deflate; do echo "LoadModule ${m}_module $mods/mod_$m.so"; done
    [ "$(id -u)" = 0 ] && { echo "User www-data"; echo "Group www-data"; }
    echo "TypesConfig /etc/mime.types"
    echo "DocumentRoot $site"
    echo "<Directory $site>"; echo "  AllowOverride All"; echo "  Require all granted"; echo "</Directory>"
  } > "$tmp/httpd.conf"
  "$httpd" -t -f "$tmp/httpd.conf" 2> "$tmp/apache-t.log" || fail "httpd -t: $(cat "$tmp/apache-t.log")"
  "$httpd" -f "$tmp/httpd.conf" -k start || fail "httpd did not start"
  for _ in $(seq 50); do [ -s "$tmp/httpd.pid" ] && break; sleep 0.1; done
  pid=$(cat "$tmp/httpd.pid" 2>/dev/null) || fail "httpd wrote no pid file"
  answering || fail "httpd did not answer on $url"
  check_passes "Apache httpd" apache
  stop
else
  echo "skip: $httpd is missing (Debian package apache2-bin)"
fi

[ $checked -gt 0 ] || { echo "SKIP: no nginx, Caddy or Apache httpd to check"; exit 77; }
echo "PASS: check on $checked real server(s)"
