#!/usr/bin/env bash
# The benchmark of wasmdev beside nginx (see bench/README.md). Options: --rounds N,
# --duration S, --quick, --binary PATH, --only wasmdev|nginx, --results FILE.
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
