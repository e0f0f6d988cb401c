#!/usr/bin/env bash
# The .deb as a user meets it (opt-in: -DWASMDEV_TEST_DEB_INSTALL=ON, docs/packaging.md#testing):
# a fresh Debian 12 root made by debootstrap from this machine's apt mirror, `apt-get install
# ./wasmdev_*.deb` resolving the dependencies there, `wasmdev serve` run inside it answering
# the self-check page with the isolation headers, then `apt-get purge --autoremove` leaving the
# root as it was before the install, apart from apt's and dpkg's own records.
# Needs root (debootstrap, chroot, mount) and about a minute. WASMDEV_DEBIAN_MIRROR overrides
# the mirror (default: the first URI for bookworm in /etc/apt/sources.list*).
# Usage: deb_install_debian12.sh BUILD_DIR SOURCE_DIR
set -u
build=$(realpath "$1")
src=$(realpath "$2")
. "$src/tests/integration/wait.bash"
fail() { echo "FAIL: $*"; exit 1; }
start_time=$(date +%s)
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (debootstrap, chroot)"; exit 77; }
for tool in debootstrap cpack curl; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool (scripts/setup.sh --test installs it)"; exit 77; }
done

mirror=${WASMDEV_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
           awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ && u {print u; exit}')
fi
if [ -z "$mirror" ]; then
  mirror=$(grep -hsE '^deb +(\[[^]]*\] +)?[a-z]+://[^ ]+ +bookworm( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
           head -1 | sed -E 's/^deb +(\[[^]]*\] +)?([^ ]+).*/\2/')
fi
[ -n "$mirror" ] || { echo "SKIP: no bookworm mirror in /etc/apt/sources.list* (set WASMDEV_DEBIAN_MIRROR)"; exit 77; }

tmp=$(mktemp -d /var/tmp/wasmdev-deb-e2e.XXXXXX)
root=$tmp/root
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait_for_exit "$pid" 20 2>/dev/null
  mountpoint -q "$root/proc" && umount "$root/proc"
  # Only ever delete below tmp, and never through a mount still in place.
  mountpoint -q "$root/proc" || rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT

# The package, from the build tree as deb.sh checks it.
timeout 300 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" >"$tmp/cpack.log" 2>&1 ||
  fail "cpack: $(cat "$tmp/cpack.log")"
deb=$(ls "$tmp"/deb/wasmdev_*.deb) || fail "no .deb: $(ls "$tmp/deb")"
want_version=$("$build/wasmdev" --version)  # the binary just packaged

t0=$(date +%s)
timeout 600 debootstrap --variant=minbase bookworm "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
  fail "debootstrap from $mirror: $(tail -20 "$tmp/debootstrap.log")"
t_bootstrap=$(( $(date +%s) - t0 ))
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" || fail "mount proc"
in_root() { timeout 600 chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
in_root apt-get update >"$tmp/apt.log" 2>&1 || fail "apt-get update: $(tail "$tmp/apt.log")"

# What the root holds before the install: every path but the state apt and dpkg keep.
snapshot() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/apt -o -path ./var/lib/dpkg \
      -o -path ./var/cache -o -path ./var/log -o -path ./etc/ld.so.cache \) -prune -o -print | sort)
}
snapshot >"$tmp/before"

cp "$deb" "$root/tmp/"
t0=$(date +%s)
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" >"$tmp/install.log" 2>&1 ||
  fail "apt-get install: $(tail -30 "$tmp/install.log")"
t_install=$(( $(date +%s) - t0 ))
in_root dpkg -L wasmdev >"$tmp/files" || fail "dpkg -L wasmdev"
for f in /usr/bin/wasmdev /usr/share/man/man1/wasmdev.1.gz /usr/share/bash-completion/completions/wasmdev \
         /usr/share/zsh/vendor-completions/_wasmdev /usr/share/fish/vendor_completions.d/wasmdev.fish; do
  grep -qxF "$f" "$tmp/files" || fail "dpkg -L wasmdev lacks $f"
done
got_version=$(in_root wasmdev --version) || fail "wasmdev --version in the root"
[ "$got_version" = "$want_version" ] || fail "installed --version '$got_version', built '$want_version'"

# serve inside the root (chroot execs it, so pid is wasmdev's); the root shares this machine's
# loopback, so the page is fetched from outside.
mkdir -p "$root/srv/site" && echo hello >"$root/srv/site/index.html"
chroot "$root" /usr/bin/wasmdev serve /srv/site --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
url=$(wait_for_url "$tmp/serve.out") || fail "serve printed no URL: $(cat "$tmp/serve.out" "$tmp/serve.err")"
headers=$(curl -sS -D - -o "$tmp/page" "${url}__wasmdev/") || fail "GET ${url}__wasmdev/"
grep -qiE '^HTTP/1\.1 200' <<<"$headers" || fail "self-check page: $headers"
grep -qiE '^Cross-Origin-Opener-Policy: same-origin' <<<"$headers" || fail "no COOP: $headers"
grep -qiE '^Cross-Origin-Embedder-Policy: require-corp' <<<"$headers" || fail "no COEP: $headers"
grep -qi 'wasmdev' "$tmp/page" || fail "the self-check page is not wasmdev's: $(head -c 300 "$tmp/page")"
kill -TERM "$pid"
wait_for_exit "$pid" 20 || fail "serve did not stop on SIGTERM"
pid=
rm -rf "$root/srv/site"

# Purge: nothing of ours left, and the dependencies apt brought are gone again.
in_root apt-get purge -y --autoremove wasmdev >"$tmp/purge.log" 2>&1 || fail "apt-get purge: $(tail "$tmp/purge.log")"
rm -f "$root/tmp/$(basename "$deb")"
snapshot >"$tmp/after"
while read -r f; do
  [ -e "$root$f" ] || continue
  [ -d "$root$f" ] && grep -qxF ".$f" "$tmp/before" && continue  # a directory the root had already
  fail "purge left $f"
done <"$tmp/files"
left=$(diff "$tmp/before" "$tmp/after") || fail "the root differs after purge (< before, > after):
$left"
echo "PASS: Debian 12 root from $mirror: debootstrap ${t_bootstrap}s, install ${t_install}s, total $(( $(date +%s) - start_time ))s"
