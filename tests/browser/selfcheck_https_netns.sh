#!/usr/bin/env bash
# The self-check page over HTTPS on a non-loopback address, as a phone on the LAN would load
# it (docs/design.md#https): in a network namespace of its own (unshare -n) with 10.77.0.1/24 on a veth pair
# (a dummy interface when the kernel has no veth), never a real network address. Chromium
# trusts wasmdev's generated CA by its SPKI hash. Then the same over plain HTTP, where the
# isolation checks must fail (not a secure context).
# Usage: selfcheck_https_netns.sh WASMDEV   (as root; exit 77 = skipped, with the reason)
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
addr=10.77.0.1

if [ "${WASMDEV_IN_NETNS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "SKIP: needs root to create a network namespace"; exit 77; }
  for tool in unshare ip openssl node; do
    command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/setup.sh --test)"; exit 77; }
  done
  unshare -n true 2>/dev/null || { echo "SKIP: network namespaces are not available here (unshare -n failed)"; exit 77; }
  exec unshare -n env WASMDEV_IN_NETNS=1 bash "$0" "$@"
fi

# ---- inside the namespace ----------------------------------------------------------
ip link set lo up
if ip link add wd0 type veth peer name wd1 2>/dev/null; then
  ip link set wd1 up
elif ! ip link add wd0 type dummy 2>/dev/null; then
  echo "SKIP: neither a veth pair nor a dummy interface can be created in the namespace"; exit 77
fi
ip addr add $addr/24 dev wd0 && ip link set wd0 up || { echo "FAIL: cannot put $addr on wd0"; exit 1; }
ip -br addr show wd0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache"
# Create the CA (and a leaf) before Chromium starts, to pin the CA's public key.
"$bin" serve "$tmp" --tls --bind $addr --port 0 >"$tmp/first.log" 2>&1 &
pid=$!
. "$here/../integration/wait.bash"
wait_for_match "https://10\.77\.0\.1:[0-9]+/" 60 "$tmp/first.log" >/dev/null || { echo "FAIL: no https URL"; cat "$tmp/first.log"; kill $pid; exit 1; }
kill $pid; wait $pid 2>/dev/null
ca="$XDG_CACHE_HOME/wasmdev/tls/ca.pem"
grep -q "certificate for .*$addr" "$tmp/first.log" || { echo "FAIL: the certificate does not name $addr"; cat "$tmp/first.log"; exit 1; }
spki=$(openssl x509 -in "$ca" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)
echo "CA $ca, SPKI sha256 $spki"

rc=0
node "$here/selfcheck_https.mjs" --binary "$bin" --bind $addr --spki "$spki" || rc=$?
[ $rc = 0 ] || exit $rc
node "$here/selfcheck_https.mjs" --binary "$bin" --bind $addr --plain
