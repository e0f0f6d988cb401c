#!/usr/bin/env bash
# Formatting against .clang-format (clang-format-14, Debian's).
#   scripts/format.sh --check [FILE...]   list the C++ files that differ from their formatted form (exit 1 if any)
#   scripts/format.sh --fix FILE...       format the named files in place
# Without FILEs, --check looks at every tracked *.cpp/*.hpp (the lint test "format: ..." runs that).
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-$(command -v clang-format-14 || command -v clang-format || true)}
[ -n "$clang_format" ] || { echo "format.sh: clang-format-14 is not installed (apt-get install clang-format-14)" >&2; exit 2; }
mode=${1:-}
shift || true
case $mode in
  --check)
    if [ $# -eq 0 ]; then mapfile -t files < <(git ls-files '*.cpp' '*.hpp'); else files=("$@"); fi
    differ=0
    for f in "${files[@]}"; do
      if ! "$clang_format" --style=file "$f" | cmp -s - "$f"; then echo "$f"; differ=$((differ + 1)); fi
    done
    [ "$differ" -eq 0 ] || { echo "format.sh: $differ file(s) differ from .clang-format" >&2; exit 1; }
    ;;
  --fix)
    [ $# -gt 0 ] || { echo "format.sh --fix needs the files to format" >&2; exit 2; }
    "$clang_format" --style=file -i "$@"
    ;;
  *)
    echo "usage: scripts/format.sh --check [FILE...] | --fix FILE..." >&2; exit 2 ;;
esac
