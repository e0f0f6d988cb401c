#!/usr/bin/env bash
# HTTPS: wasmdev --tls beside nginx with TLS (see bench/README.md). Options: --rounds N,
# --duration S, --binary PATH.
set -euo pipefail
exec python3 "$(dirname "$0")/tls.py" "$@"
