#!/usr/bin/env bash
# HTTPS with --tls over real sockets with curl, trusting wasmdev's generated CA: the
# handshake (TLS 1.2+, ALPN http/1.1), the isolation headers, gzip, a range, a 304, a large
# file, the access log; plain HTTP on the TLS port gets a redirect or a clear page, never TLS
# garbage; --cert/--key serve a user's pair and a bad pair is refused with one line and exit 2;
# a non-loopback bind without --tls says why threads fail on other devices.
# Usage: tls_serve.sh WASMDEV REPO_ROOT
set -u
. "$(dirname "$0")/wait.bash"
bin=$1
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- out:"; cat "$tmp/out.log"; echo "--- err:"; cat "$tmp/err.log"; exit 1; }
command -v curl >/dev/null || { echo "SKIP: curl is not installed (scripts/setup.sh --test)"; exit 77; }
command -v openssl >/dev/null || { echo "SKIP: openssl is not installed (scripts/setup.sh --test)"; exit 77; }
export XDG_CACHE_HOME="$tmp/cache"
ca="$tmp/cache/wasmdev/tls/ca.pem"

mkdir "$tmp/root"
python3 -c "print('let answer = 42; // a line of a build\n' * 4000, end='')" > "$tmp/root/app.js"
printf '\0asm\1\0\0\0' > "$tmp/root/m.wasm"
head -c 8000000 /dev/urandom > "$tmp/root/big.bin"
head -c 600000 /dev/urandom | base64 > "$tmp/root/lib.js"  # gzips to about 75%: over 64 KiB

# ---- --tls: the generated certificate ----------------------------------------------
"$bin" serve "$tmp/root" --tls --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_match 'https://127\.0\.0\.1:[0-9]+/' 60 "$tmp/out.log")
[ -n "$url" ] || fail "no https URL line"
port=${url##*:}; port=${port%/}
grep -qF "local CA: $ca" "$tmp/out.log" || fail "the startup output does not name the CA file"
grep -q "trust it on a phone" "$tmp/out.log" || fail "no instructions to trust the CA on a phone"
[ "$(stat -c %a "$tmp/cache/wasmdev/tls/ca-key.pem")" = 600 ] || fail "the CA key is not mode 0600"

c() { curl -sS --max-time 20 --cacert "$ca" "$@"; }
# The handshake, by name and by address (both in the certificate), ALPN http/1.1, TLS >= 1.2.
for u in "https://localhost:$port/app.js" "${url}app.js"; do
  info=$(c -o /dev/null -w '%{http_code} %{http_version} %{ssl_verify_result}' "$u") || fail "curl $u failed"
  [ "$info" = "200 1.1 0" ] || fail "$u: code, version, verify = $info"
done
c -v -o /dev/null "${url}app.js" 2>"$tmp/v.log"
grep -q 'ALPN: server accepted http/1.1' "$tmp/v.log" || fail "ALPN http/1.1 not accepted: $(grep ALPN "$tmp/v.log")"
# curl's OpenSSL refuses TLS 1.1 on its own at its default security level (it fails even
# against a server that accepts 1.1): level 0 lets it offer 1.1, so only the server can refuse.
curl -sS --max-time 20 --cacert "$ca" --tls-max 1.1 --ciphers 'DEFAULT:@SECLEVEL=0' -o /dev/null "${url}app.js" 2>/dev/null \
  && fail "TLS 1.1 was accepted"
c --tlsv1.2 --tls-max 1.2 -o /dev/null "${url}app.js" || fail "TLS 1.2 was refused"

# Session resumption, with a TLS 1.2 session id and a TLS 1.3 ticket: the second handshake is "Reused".
for v in -tls1_2 -tls1_3; do
  req=$'GET /app.js HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'
  timeout 20 openssl s_client $v -connect "127.0.0.1:$port" -CAfile "$ca" -sess_out "$tmp/sess$v" -ign_eof <<<"$req" >/dev/null 2>&1
  timeout 20 openssl s_client $v -connect "127.0.0.1:$port" -CAfile "$ca" -sess_in "$tmp/sess$v" -ign_eof <<<"$req" 2>/dev/null \
    | grep -q '^Reused,' || fail "no session resumption with openssl s_client $v"
done

# Every header serve sends.
h=$(c -D - -o /dev/null "${url}m.wasm" | tr -d '\r')
for want in 'Cross-Origin-Opener-Policy: same-origin' 'Cross-Origin-Embedder-Policy: require-corp' \
            'Cross-Origin-Resource-Policy: same-site' 'X-Content-Type-Options: nosniff' 'Content-Type: application/wasm'; do
  grep -qiF "$want" <<<"$h" || fail "no '$want' over TLS: $h"
done
# gzip: the decoded body is the file.
h=$(c -D - -o "$tmp/app.gz" -H 'Accept-Encoding: gzip' "${url}app.js" | tr -d '\r')
grep -qi '^Content-Encoding: gzip' <<<"$h" || fail "no gzip over TLS: $h"
gunzip -c "$tmp/app.gz" | cmp -s - "$tmp/root/app.js" || fail "the gzip body does not decode to app.js"
# Again, warm: from the compression cache's memory, not a stream.
c -o "$tmp/app2.gz" -H 'Accept-Encoding: gzip' "${url}app.js"
cmp -s "$tmp/app.gz" "$tmp/app2.gz" || fail "the warm gzip body differs from the cold one"
# A gzip body over 64 KiB, cold (streamed) and warm (one part held in memory, encrypted from
# where it lies rather than through the 64 KiB buffer): both decode to the file.
for round in cold warm; do
  c -o "$tmp/lib.gz" -H 'Accept-Encoding: gzip' "${url}lib.js"
  [ "$(stat -c %s "$tmp/lib.gz")" -gt 65536 ] || fail "lib.js ($round) gzips to under 64 KiB: the row proves nothing"
  gunzip -c "$tmp/lib.gz" | cmp -s - "$tmp/root/lib.js" || fail "the $round gzip body of lib.js does not decode to it"
done
# HEAD: the GET's headers, no body.
h=$(c -I "${url}big.bin" | tr -d '\r')
grep -qi '^Content-Length: 8000000' <<<"$h" || fail "HEAD over TLS: $h"
# A range, exact bytes.
h=$(c -D - -o "$tmp/range" -r 100-199 "${url}big.bin" | tr -d '\r')
grep -q '^HTTP/1.1 206' <<<"$h" || fail "no 206 for a range: $h"
grep -qi '^Content-Range: bytes 100-199/8000000' <<<"$h" || fail "wrong Content-Range: $h"
cmp -s "$tmp/range" <(tail -c +101 "$tmp/root/big.bin" | head -c 100) || fail "the range's bytes differ"
# A 304 for the ETag it was given.
etag=$(c -D - -o /dev/null "${url}app.js" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
code=$(c -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${url}app.js")
[ "$code" = 304 ] || fail "If-None-Match with the ETag gave $code"
# A large file (pread + encrypt), whole.
c -o "$tmp/big" "${url}big.bin" || fail "the 8 MB download failed"
cmp -s "$tmp/big" "$tmp/root/big.bin" || fail "the 8 MB file arrived different"
# The directory listing and the self-check page.
c "$url" | grep -q 'href="/app.js"' || fail "no listing over TLS"
c "${url}__wasmdev/" | grep -qi 'self-check' || fail "no self-check page over TLS"
# Keep-alive: two requests on one TLS connection.
n=$(c -v -o /dev/null -o /dev/null "${url}app.js" "${url}m.wasm" 2>&1 | grep -c 'Re-using existing connection') || true
[ "$n" -ge 1 ] || fail "the second request did not reuse the TLS connection"

# ---- plain HTTP on the TLS port: a redirect or a page, not TLS bytes ----------------
h=$(curl -sS --max-time 10 -D - -o "$tmp/plain" "http://127.0.0.1:$port/app.js?x=1" | tr -d '\r')
grep -q '^HTTP/1.1 307' <<<"$h" || fail "plain HTTP on the TLS port: no 307: $h"
grep -qi "^Location: https://127.0.0.1:$port/app.js?x=1\$" <<<"$h" || fail "wrong Location: $h"
grep -qi '^Connection: close' <<<"$h" || fail "the redirect does not close: $h"
grep -q 'serves HTTPS only' "$tmp/plain" || fail "the redirect's page does not say why"
# Following it lands on the file.
c -L -o "$tmp/followed" "http://127.0.0.1:$port/app.js" && cmp -s "$tmp/followed" "$tmp/root/app.js" \
  || fail "following the redirect did not give app.js"
# A foreign Host (DNS rebinding) is not redirected anywhere: the Host check's 403.
h=$(curl -sS --max-time 10 -D - -o "$tmp/plain" -H 'Host: evil.example' "http://127.0.0.1:$port/" | tr -d '\r')
grep -q '^HTTP/1.1 403' <<<"$h" || fail "a foreign Host on the TLS port: $h"
grep -qi '^Location' <<<"$h" && fail "a foreign Host got a Location: $h"
grep -qF -- '--allow-host evil.example' "$tmp/plain" || fail "the 403 page does not say how to allow the name"
# A malformed one gets the page saying to use https.
h=$(curl -sS --max-time 10 -D - -o "$tmp/plain" -H 'Host: a@evil.example' "http://127.0.0.1:$port/" | tr -d '\r')
grep -q '^HTTP/1.1 400' <<<"$h" || fail "a malformed Host on the TLS port: $h"
grep -q 'https://' "$tmp/plain" || fail "the 400 page does not say to use https://"

grep -qE '"GET /app.js" 200 ' "$tmp/out.log" || wait_for_match '"GET /app.js" 200 ' 60 "$tmp/out.log" >/dev/null \
  || fail "no access line for a request over TLS"
kill -INT $pid
timeout 5 tail --pid=$pid -f /dev/null || fail "still running 5 s after SIGINT"
wait $pid; rc=$?; pid=
[ $rc = 0 ] || fail "exit code $rc after SIGINT"

# ---- a second start reuses the CA and the leaf ---------------------------------------
before=$(sha256sum "$ca" "$tmp/cache/wasmdev/tls/localhost.pem")
timeout 20 "$bin" serve "$tmp/root" --tls --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
wait_for_match 'https://127\.0\.0\.1:[0-9]+/' 60 "$tmp/out.log" >/dev/null || fail "no URL on the second start"
kill $pid; wait_for_exit $pid 20; pid=
[ "$before" = "$(sha256sum "$ca" "$tmp/cache/wasmdev/tls/localhost.pem")" ] || fail "the second start replaced the CA or the leaf"
grep -q 'created a local certificate authority' "$tmp/out.log" && fail "the second start says it created a CA"

# ---- --bind 0.0.0.0: the leaf is re-issued for this machine's addresses and names, which are printed ----
mkdir "$tmp/empty"
"$bin" serve "$tmp/empty" --tls --bind 0.0.0.0 --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
wait_for_match 'self-check page' 60 "$tmp/out.log" >/dev/null || fail "no start with --bind 0.0.0.0"
kill $pid; wait_for_exit $pid 20; [ $? != 124 ] || fail "still running 20 s after SIGTERM"; pid=
san=$(openssl x509 -in "$tmp/cache/wasmdev/tls/localhost.pem" -noout -ext subjectAltName)
printed=$(sed -n 's#^  from other devices: https://\(.*\):[0-9]*/$#\1#p' "$tmp/out.log" | tr -d '[]')
python3 - "$san" $printed <<'PY' || fail "the printed addresses and names are not all in the certificate: $printed / $san"
import ipaddress, re, sys
named = {ipaddress.ip_address(a) for a in re.findall(r"IP Address:([0-9A-Fa-f:.]+)", sys.argv[1])}
dns = set(re.findall(r"DNS:([^,\s]+)", sys.argv[1]))
def covered(a):
    try: return ipaddress.ip_address(a) in named
    except ValueError: return a in dns  # the machine's own name, which the Host check answers to
sys.exit(0 if sys.argv[2:] and all(covered(a) for a in sys.argv[2:]) else 1)
PY
for name in 'DNS:localhost' 'IP Address:127.0.0.1' 'IP Address:0:0:0:0:0:0:0:1'; do
  grep -qF "$name" <<<"$san" || fail "the certificate for 0.0.0.0 lacks $name: $san"
done
[ "$before" != "$(sha256sum "$ca" "$tmp/cache/wasmdev/tls/localhost.pem")" ] || fail "the leaf was not re-issued for 0.0.0.0"
[ "$(head -1 <<<"$before")" = "$(sha256sum "$ca")" ] || fail "re-issuing the leaf replaced the CA"

# ---- --cert/--key: a user's pair (as mkcert makes: NAME.pem and NAME-key.pem) -----------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$tmp/user-key.pem" -out "$tmp/user.pem" 2>/dev/null \
  || fail "openssl req failed"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=other \
  -keyout "$tmp/other-key.pem" -out "$tmp/other.pem" 2>/dev/null
"$bin" serve "$tmp/root" --cert "$tmp/user.pem" --key "$tmp/user-key.pem" --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
url=$(wait_for_match 'https://127\.0\.0\.1:[0-9]+/' 60 "$tmp/out.log")
[ -n "$url" ] || fail "no https URL with --cert/--key"
curl -sS --max-time 20 --cacert "$tmp/user.pem" -o "$tmp/user-got" "${url}app.js" || fail "curl with the user's certificate failed"
cmp -s "$tmp/user-got" "$tmp/root/app.js" || fail "wrong body with --cert/--key"
kill $pid; wait_for_exit $pid 20; [ $? != 124 ] || fail "still running 20 s after SIGTERM"; pid=

refused() {  # refused EXPECTED_TEXT ARGS...: exit 2 and one line on stderr naming the problem
  local want=$1; shift
  timeout 20 "$bin" serve "$tmp/root" --port 0 "$@" >"$tmp/out.log" 2>"$tmp/err.log"
  local rc=$?
  [ $rc = 2 ] || fail "serve $* exited $rc, not 2"
  [ "$(wc -l <"$tmp/err.log")" = 1 ] || fail "serve $*: not one line on stderr"
  grep -qF -- "$want" "$tmp/err.log" || fail "serve $*: stderr does not say '$want'"
}
refused 'does not belong to the certificate' --cert "$tmp/user.pem" --key "$tmp/other-key.pem"
refused 'cannot read --cert' --cert "$tmp/missing.pem" --key "$tmp/user-key.pem"
refused 'cannot read --key' --cert "$tmp/user.pem" --key "$tmp/missing.pem"
refused 'holds no PEM certificate' --cert "$tmp/root/app.js" --key "$tmp/user-key.pem"
refused '--cert and --key go together' --cert "$tmp/user.pem"
chmod 000 "$tmp/user-key.pem"
if ! cat "$tmp/user-key.pem" >/dev/null 2>&1; then  # root reads any file: then this row proves nothing
  refused 'cannot read --key' --cert "$tmp/user.pem" --key "$tmp/user-key.pem"
fi

# ---- a non-loopback bind without --tls: one warning saying why ------------------------
timeout 20 "$bin" serve "$tmp/root" --bind 0.0.0.0 --port 0 >"$tmp/out.log" 2>"$tmp/err.log" &
pid=$!
wait_for_match 'serve with --tls' 60 "$tmp/out.log" "$tmp/err.log" >/dev/null || fail "no --tls warning for --bind 0.0.0.0"
grep -h 'serve with --tls' "$tmp/out.log" "$tmp/err.log" | grep -q 'SharedArrayBuffer' || fail "the warning does not say what fails"
kill $pid; wait_for_exit $pid 20; pid=
echo "OK: HTTPS handshake, headers, gzip, range, 304, 8 MB body, redirect of plain HTTP, --cert/--key and their refusals"
