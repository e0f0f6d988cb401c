#!/usr/bin/env bash
# Builds one libFuzzer target and runs it over a copy of its seed corpus (the shared fuzzing
# convention): tests/fuzz/run.sh NAME SECONDS [BUILD_DIR]. The target is tests/fuzz/fuzz_NAME.cpp,
# linked with the repo sources listed in fuzz_NAME.sources ("-l..." lines are libraries).
# Exit: 0 clean, non-zero on any finding, 77 when clang++-14 or libFuzzer is missing.
set -u
name=${1:?usage: run.sh NAME SECONDS [BUILD_DIR]}
seconds=${2:?usage: run.sh NAME SECONDS [BUILD_DIR]}
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${3:-$repo/build/fuzz}
cxx=clang++-14
command -v "$cxx" >/dev/null || { echo "skip: $cxx is not installed (apt-get install clang-14 libclang-rt-14-dev)"; exit 77; }
mkdir -p "$build"
probe="$build/.probe-$$"
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' |
  "$cxx" -fsanitize=fuzzer -x c++ - -o "$probe" 2>/dev/null ||
  { rm -f "$probe"; echo "skip: libFuzzer is missing (apt-get install libclang-rt-14-dev)"; exit 77; }
rm -f "$probe"

src="$repo/tests/fuzz/fuzz_$name.cpp"
[ -f "$src" ] || { echo "error: no $src"; exit 2; }
sources=() libs=()
if [ -f "$repo/tests/fuzz/fuzz_$name.sources" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
      ''|'#'*) ;;
      -l*) libs+=("$line") ;;
      *) sources+=("$repo/$line") ;;
    esac
  done < "$repo/tests/fuzz/fuzz_$name.sources"
fi
bin="$build/fuzz_$name"
"$cxx" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$repo" \
  "$src" "${sources[@]}" -o "$bin" "${libs[@]}" || { echo "error: building fuzz_$name failed"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -d "$repo/tests/fuzz/corpus/$name" ] && cp -R "$repo/tests/fuzz/corpus/$name/." "$work/"
# libFuzzer exits 77 on a finding by default, which ctest would take for "skipped".
"$bin" -max_total_time="$seconds" -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 -artifact_prefix="$build/$name-" "$work" >"$build/$name.log" 2>&1
rc=$?
grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' "$build/$name.log"
grep -E '^#[0-9]+ +DONE' "$build/$name.log" | tail -n1
if [ $rc != 0 ]; then
  tail -n 60 "$build/$name.log"
  echo "fuzz_$name found a problem (exit $rc); the input is in $build/$name-*"
fi
exit $rc
