#!/usr/bin/env bash
# The Debian package (cmake/install.cmake): `cpack -G DEB` from the build tree, into a temp
# dir, makes wasmdev_VERSION_amd64.deb whose control fields and files are what a user of the
# .deb relies on (the binary, the man page, the three completions, copyright and changelog,
# library dependencies from dpkg-shlibdeps, Recommends chromium), and lintian finds no error
# or warning in it. Usage: deb.sh BUILD_DIR SOURCE_DIR
set -u
build=$(realpath "$1")
src=$(realpath "$2")
fail() { echo "FAIL: $*"; exit 1; }
for tool in cpack dpkg-deb dpkg-shlibdeps lintian; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool (scripts/setup.sh --test installs it)"; exit 77; }
done
for f in wasmdev cli-docs/wasmdev.1.gz cli-docs/wasmdev.bash cli-docs/_wasmdev cli-docs/wasmdev.fish generated/changelog.gz; do
  [ -e "$build/$f" ] || fail "$build/$f is missing: build the default target first (cmake --build $build)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
arch=$(dpkg --print-architecture)
timeout 300 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp" >"$tmp/cpack.log" 2>&1 ||
  fail "cpack: $(cat "$tmp/cpack.log")"
deb="$tmp/wasmdev_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $(basename "$deb"): $(ls "$tmp")"

info=$(dpkg-deb -I "$deb") || fail "dpkg-deb -I"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = wasmdev ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
deps=$(field Depends)
for lib in libssl3 libbrotli1 libzstd1 zlib1g libspdlog libfmt libboost-url libc6 libstdc++6; do
  [[ $deps == *"$lib"* ]] || fail "Depends lacks $lib: $deps"
done
[[ $(field Recommends) == *chromium* ]] || fail "Recommends: $(field Recommends)"
[[ $(field Suggests) == *emscripten* ]] || fail "Suggests: $(field Suggests)"
[ -n "$(field Maintainer)" ] && [ -n "$(field Section)" ] || fail "no Maintainer or Section: $info"
[ "$(field Description | wc -l)" -gt 2 ] || fail "no extended Description: $(field Description)"

files=$(dpkg-deb -c "$deb" | awk '{print $1, $NF}')
for want in "-rwxr-xr-x ./usr/bin/wasmdev" \
            "-rw-r--r-- ./usr/share/man/man1/wasmdev.1.gz" \
            "-rw-r--r-- ./usr/share/bash-completion/completions/wasmdev" \
            "-rw-r--r-- ./usr/share/zsh/vendor-completions/_wasmdev" \
            "-rw-r--r-- ./usr/share/fish/vendor_completions.d/wasmdev.fish" \
            "-rw-r--r-- ./usr/share/doc/wasmdev/copyright" \
            "-rw-r--r-- ./usr/share/doc/wasmdev/changelog.gz"; do
  grep -qxF -- "$want" <<<"$files" || fail "the .deb lacks '$want':
$files"
done
# The man page in the package documents every subcommand the packaged binary has.
dpkg-deb -x "$deb" "$tmp/root"
man=$(zcat "$tmp/root/usr/share/man/man1/wasmdev.1.gz")
for sub in $("$tmp/root/usr/bin/wasmdev" --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
  grep -qxF ".SS \"$sub\"" <<<"$man" || fail "the man page has no section for $sub"
done
# The changelog's latest entry is this version (lintian reads it as the package's).
zcat "$tmp/root/usr/share/doc/wasmdev/changelog.gz" | head -1 | grep -qF "wasmdev ($version)" ||
  fail "packaging/changelog's first entry is not $version: $(zcat "$tmp/root/usr/share/doc/wasmdev/changelog.gz" | head -1)"

# lintian: no error, no warning (info tags are listed in docs/packaging.md#lintian).
timeout 300 lintian --fail-on error,warning "$deb" >"$tmp/lintian.log" 2>&1 ||
  fail "lintian: $(grep -v 'root privileges' "$tmp/lintian.log")"
grep -E '^[EW]: ' "$tmp/lintian.log" && fail "lintian reports the lines above"
echo "PASS: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), lintian clean"
