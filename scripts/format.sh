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
    # One clang-format process for all files (one per file takes minutes on a loaded machine).
    report=$("$clang_format" --style=file --dry-run "${files[@]}" 2>&1) || { echo "$report" >&2; exit 2; }
    mapfile -t differ < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' <<<"$report" | sort -u)
    [ "${#differ[@]}" -eq 0 ] || { printf '%s\n' "${differ[@]}"; echo "format.sh: ${#differ[@]} file(s) differ from .clang-format" >&2; exit 1; }
    ;;
  --fix)
    [ $# -gt 0 ] || { echo "format.sh --fix needs the files to format" >&2; exit 2; }
    "$clang_format" --style=file -i "$@"
    ;;
  *)
    echo "usage: scripts/format.sh --check [FILE...] | --fix FILE..." >&2; exit 2 ;;
esac
