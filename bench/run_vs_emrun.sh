#!/usr/bin/env bash
# Wall time of `wasmdev run` against Emscripten's `emrun --browser chromium` and a minimal
# Playwright script (bench/playwright_hello.mjs: playwright-core, a node static server) on the
# same small program (an emcc -O1 hello world linked with --emrun, so all three learn its exit
# code), N times each, alternating so the machine's load hits them alike. Prints one row per run and the
# medians as a Markdown table; each must give the program's exit code (3), else the row says so.
# Usage: bench/run_vs_emrun.sh WASMDEV [N=5]
# Needs emcc and emrun (Debian's emscripten), Debian's chromium, node and tests/browser's
# playwright-core (scripts/setup.sh --test). emrun's server takes a
# port: a free one is picked per run (emrun has no port 0).
set -u
bin=$(realpath "$1")
n=${2:-5}
chromium=${WASMDEV_BENCH_CHROMIUM:-/usr/bin/chromium}
case $chromium in *chrome*) echo "SKIP: emrun would kill every process named chrome at exit"; exit 77 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
for tool in emcc emrun node "$chromium"; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is missing"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
cat >hello.c <<'C'
#include <stdio.h>
int main(void) {
    printf("hello from the benchmark\n");
    return 3;
}
C
EMSDK_PYTHON=/usr/bin/python3 NODE_PATH=/usr/share/nodejs emcc -O1 -sMINIFY_HTML=0 hello.c --emrun -sEXIT_RUNTIME=1 -o hello.html >emcc.log 2>&1 ||
  { cat emcc.log; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# emrun's Chromium: headless like wasmdev's, in a profile of its own (emrun would use the user's
# default one), no sandbox as root. For a browser path containing "chrome", emrun's --kill_exit
# falls back to killing every process of that name once the one it started has exited: refused.
browser_args="--headless --disable-gpu --no-first-run --disable-background-networking --user-data-dir=$tmp/emrun-profile"
[ "$(id -u)" = 0 ] && browser_args+=" --no-sandbox"

now() { date +%s.%N; }
declare -a tw te tp
printf '| run | wasmdev run (s) | exit | emrun (s) | exit | Playwright (s) | exit |\n|---|---|---|---|---|---|---|\n'
for i in $(seq "$n"); do
  t0=$(now)
  timeout 120 "$bin" run --timeout 100 hello.html >w.out 2>w.err; rw=$?
  t1=$(now)
  rm -rf "$tmp/emrun-profile"
  EMSDK_PYTHON=/usr/bin/python3 timeout 120 emrun --browser "$chromium" --browser_args="$browser_args" --kill_exit --timeout 100 \
    --port "$(free_port)" --no_emrun_detect hello.html >e.out 2>e.err; re=$?
  t2=$(now)
  WASMDEV_BENCH_CHROMIUM=$chromium timeout 120 node "$here/playwright_hello.mjs" "$tmp" hello.html >p.out 2>p.err; rp=$?
  t3=$(now)
  tw[$i]=$(echo "$t1 - $t0" | bc)
  te[$i]=$(echo "$t2 - $t1" | bc)
  tp[$i]=$(echo "$t3 - $t2" | bc)
  printf '| %d | %.2f | %d | %.2f | %d | %.2f | %d |\n' "$i" "${tw[$i]}" "$rw" "${te[$i]}" "$re" "${tp[$i]}" "$rp"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
printf '| median | %.2f | | %.2f | | %.2f | |\n' "$(median "${tw[@]}")" "$(median "${te[@]}")" "$(median "${tp[@]}")"
