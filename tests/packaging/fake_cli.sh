#!/usr/bin/env bash
# A stand-in for the wasmdev binary that prints CLI11-style help for a subcommand the real one
# may not have yet (deploy, with a nine-value --format and a name too long for its column),
# so completions.sh shows the generator picks up a new command with no change of its own.
case "$*" in
  --help) cat <<'HELP'
wasmdev: a fast, secure HTTP dev server for WebAssembly builds
Usage: wasmdev [OPTIONS] [SUBCOMMAND]

Options:
  -h,--help                   Print this help message and exit
  --version                   Display program version information and exit

Subcommands:
  serve                       Serve ROOT (default .) with the headers WebAssembly builds need
  deploy                      Print (or write with -o) a static host's config for the serve policy

HELP
  ;;
  "serve --help") cat <<'HELP'
Serve ROOT (default .) with the headers WebAssembly builds need
Usage: wasmdev serve [OPTIONS] [ROOT]

Positionals:
  ROOT TEXT=.                 Directory to serve

Options:
  -h,--help                   Print this help message and exit
  --port UINT:INT in [0 - 65535]=8000
                              Port to listen on; 0 picks a free one

HELP
  ;;
  "deploy --help") cat <<'HELP'
Print (or write with -o) a static host's config for the serve policy
Usage: wasmdev deploy [OPTIONS] [DIR]

Positionals:
  DIR TEXT=.                  The build's directory, where -o writes

Options:
  -h,--help                   Print this help message and exit
  -o,--write                  Write the file where the host reads it
  --format TEXT:{apache,nginx,caddy,netlify,netlify-toml,cloudflare,vercel,firebase,github-pages}=apache
                              The host
  --header TEXT ...           Add or override a response header, 'Name: value' (repeatable)

HELP
  ;;
  *) echo "fake_cli: unexpected arguments: $*" >&2; exit 2 ;;
esac
