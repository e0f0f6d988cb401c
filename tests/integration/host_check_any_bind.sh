#!/usr/bin/env bash
# The DNS-rebinding Host check against the real binary on every bind. With --bind 0.0.0.0 a
# foreign Host (what a rebinding page sends) is a 403 whose page names --allow-host; localhost
# names, IP literals and this machine's own name (`hostname`) are answered; --allow-host NAME
# allows NAME and '*' allows any Host. Plain HTTP on the HTTPS port follows the same rule: no
# redirect to a foreign Host. A loopback bind stays narrow: the machine's name needs --allow-host.
# Usage: host_check_any_bind.sh WASMDEV REPO_ROOT
. "$(dirname "$0")/script.bash"

mkdir "$tmp/root"
printf 'hello\n' >"$tmp/root/file.txt"
export XDG_CACHE_HOME="$tmp/cache"  # --tls keeps its local CA here, not in the user's cache
me=$(hostname | tr 'A-Z' 'a-z')
case $me in ''|localhost|*.localhost) echo "skipped: this machine has no name of its own ($me)"; exit 77 ;; esac
my_ip=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -m1 -E '^[0-9]+(\.[0-9]+){3}$')

# start ARGS...: serve ROOT with ARGS on port 0; sets port.
start() { serve_in_background "$tmp/root" "$@"; }
stop() { kill "$pid"; wait "$pid" 2>/dev/null; pid=; }

# expect WHAT CODE HOST [ADDRESS]: GET /file.txt from ADDRESS (127.0.0.1) with that Host.
expect() {
  local what=$1 want=$2 host=$3 address=${4:-127.0.0.1}
  local code
  code=$(curl -sS --max-time 20 -o "$tmp/body" -w '%{http_code}' -H "Host: $host" "http://$address:$port/file.txt")
  [ "$code" = "$want" ] || fail "$what: Host $host got $code, want $want: $(head -c 400 "$tmp/body")"
  if [ "$want" = 403 ]; then
    grep -qF -- "start wasmdev with --allow-host ${host%%:*}" "$tmp/body" \
      || fail "$what: the 403 page does not say how to allow ${host%%:*}: $(cat "$tmp/body")"
  fi
}

# ---- --bind 0.0.0.0, plain HTTP ----
start --bind 0.0.0.0
wait_for_match "answering to Host localhost, IP addresses, $me" 60 "$tmp/out.log" >/dev/null \
  || fail "0.0.0.0: the startup lines do not name what it answers to: $(cat "$tmp/out.log")"
# The warning about plain HTTP off loopback names the port the server got (--port 0), and an
# address other devices can use (not 0.0.0.0).
grep -qE "other devices reach http://[^ /]+:$port/ without a secure context" "$tmp/out.log" \
  || fail "0.0.0.0: the plain-HTTP warning does not name port $port: $(grep 'other devices' "$tmp/out.log")"
grep -q "other devices reach http://0\.0\.0\.0:" "$tmp/out.log" \
  && fail "0.0.0.0: the plain-HTTP warning names 0.0.0.0, which no other device can reach: $(grep 'other devices' "$tmp/out.log")"
expect "0.0.0.0" 403 evil.example
expect "0.0.0.0" 403 "evil.example:$port"
expect "0.0.0.0" 403 "$me.evil.example"
expect "0.0.0.0" 200 "127.0.0.1:$port"
expect "0.0.0.0" 200 localhost
expect "0.0.0.0" 200 "localhost:$port"
expect "0.0.0.0" 200 "[::1]:$port"
expect "0.0.0.0" 200 "app.localhost"
expect "0.0.0.0" 200 "$me"
expect "0.0.0.0" 200 "$me:$port"
if [ -n "$my_ip" ]; then
  expect "0.0.0.0 over $my_ip" 200 "$my_ip:$port" "$my_ip"
  expect "0.0.0.0 over $my_ip" 403 "evil.example:$port" "$my_ip"
fi
expect "0.0.0.0" 200 "10.1.2.3:$port"  # any IP literal: no page can rebind a name to it
code=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' -H 'Host: localhost' --request-target \
  "http://evil.example/file.txt" "http://127.0.0.1:$port/")
[ "$code" = 403 ] || fail "0.0.0.0: an absolute-form target naming evil.example got $code, want 403"
stop

# ---- --allow-host NAME, and '*' ----
start --bind 0.0.0.0 --allow-host evil.example
expect "--allow-host evil.example" 200 "evil.example:$port"
expect "--allow-host evil.example" 403 other.example
stop
start --bind 0.0.0.0 --allow-host '*'
wait_for_match 'no defence against DNS rebinding' 60 "$tmp/out.log" >/dev/null \
  || fail "--allow-host '*' starts without a warning: $(cat "$tmp/out.log")"
expect "--allow-host '*'" 200 evil.example
expect "--allow-host '*'" 200 "anything.example:$port"
stop

# ---- a loopback bind answers to localhost names only ----
start
expect "loopback" 403 "$me"
expect "loopback" 403 evil.example
expect "loopback" 200 "localhost:$port"
stop

# ---- plain HTTP on the HTTPS port of a 0.0.0.0 bind: the same rule, no redirect elsewhere ----
start --tls --bind 0.0.0.0
curl -sS --max-time 20 -o "$tmp/body" -D "$tmp/head" -H 'Host: evil.example' "http://127.0.0.1:$port/file.txt"
grep -q '^HTTP/1.1 403' "$tmp/head" || fail "plain HTTP on the TLS port, Host evil.example: $(head -1 "$tmp/head")"
grep -qi '^location:' "$tmp/head" && fail "plain HTTP on the TLS port redirects to a foreign Host: $(cat "$tmp/head")"
grep -qF -- "start wasmdev with --allow-host evil.example" "$tmp/body" || fail "the TLS port's 403 page: $(cat "$tmp/body")"
curl -sS --max-time 20 -o /dev/null -D "$tmp/head" -H "Host: $me:$port" "http://127.0.0.1:$port/file.txt"
grep -q '^HTTP/1.1 307' "$tmp/head" || fail "plain HTTP on the TLS port, Host $me: $(head -1 "$tmp/head")"
grep -qiF "location: https://$me:$port/file.txt" "$tmp/head" || fail "the redirect for $me: $(cat "$tmp/head")"
# Where the redirect leads verifies: the generated certificate names this machine too.
ca=$tmp/cache/wasmdev/tls/ca.pem
code=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' --cacert "$ca" --resolve "$me:$port:127.0.0.1" \
  "https://$me:$port/file.txt" 2>"$tmp/curl.err")
[ "$code" = 200 ] || fail "https://$me:$port/ does not verify against wasmdev's CA: $code $(cat "$tmp/curl.err")"
stop
# An --allow-host name is in the certificate as well (a loopback bind, e.g. behind /etc/hosts).
start --tls --allow-host dev.wasmdev.test
code=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' --cacert "$ca" \
  --resolve "dev.wasmdev.test:$port:127.0.0.1" "https://dev.wasmdev.test:$port/file.txt" 2>"$tmp/curl.err")
[ "$code" = 200 ] || fail "--allow-host dev.wasmdev.test over TLS does not verify: $code $(cat "$tmp/curl.err")"
stop
echo "OK: the Host check holds on 0.0.0.0 (own name${my_ip:+, $my_ip} and IP literals answered), --allow-host, '*', the TLS port; the certificate names them"
