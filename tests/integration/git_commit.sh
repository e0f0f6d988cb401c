#!/usr/bin/env bash
# cmake/git_commit.cmake, which gives --version its commit: `git describe --always --dirty` at
# the top of a git checkout (with -dirty once a tracked file changes), "unknown" in a tree
# without git (a source tarball) and in a tree unpacked inside some other repository; and it
# leaves the generated .cpp untouched when the text is the same, so nothing recompiles.
# Usage: git_commit.sh WASMDEV REPO_ROOT
set -u
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v git >/dev/null || { echo "SKIP: no git"; exit 77; }
gen() { cmake -DSRC="$1" -DOUT="$tmp/out.cpp" -P "$src/cmake/git_commit.cmake" || fail "git_commit.cmake failed on $1"; }

mkdir "$tmp/tarball"
gen "$tmp/tarball"
grep -q 'return "unknown";' "$tmp/out.cpp" || fail "a tree without git: $(cat "$tmp/out.cpp")"

git init -q "$tmp/repo"
echo a > "$tmp/repo/a"
git -C "$tmp/repo" add a
git -C "$tmp/repo" -c user.name=t -c user.email=t@t commit -q -m one
head=$(git -C "$tmp/repo" rev-parse --short HEAD)
gen "$tmp/repo"
grep -q "return \"$head\";" "$tmp/out.cpp" || fail "a clean checkout: want $head, got $(cat "$tmp/out.cpp")"
touch -d '2000-01-01' "$tmp/out.cpp"
gen "$tmp/repo"
[ "$(stat -c %Y "$tmp/out.cpp")" = "$(date -d 2000-01-01 +%s)" ] || fail "an unchanged commit rewrote the .cpp (it would recompile)"

echo b > "$tmp/repo/a"
gen "$tmp/repo"
grep -q "return \"$head-dirty\";" "$tmp/out.cpp" || fail "a changed tracked file: want $head-dirty, got $(cat "$tmp/out.cpp")"

mkdir "$tmp/repo/unpacked"
gen "$tmp/repo/unpacked"
grep -q 'return "unknown";' "$tmp/out.cpp" || fail "a tarball unpacked inside another repository took its commit: $(cat "$tmp/out.cpp")"
echo "PASS"
