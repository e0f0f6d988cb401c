#!/usr/bin/env bash
# The man page and the completions that cmake/cli_docs.cmake writes from the binary's --help:
# the man page has a section for every subcommand --help lists and man finds no error in it;
# bash and fish complete the subcommands, build's profiles, every option's listed choices
# (--format, --coep, ...), directories where a directory is asked for and files for file
# options; the zsh file parses. All generated afresh from the binary under test, so a new
# command or option is checked the day it appears; and from fake_cli.sh, a command the binary
# does not have yet, which must appear with no change to the generator.
# Usage: completions.sh WASMDEV SOURCE_DIR
set -u
bin=$(realpath "$1")
src=$(realpath "$2")
fail() { echo "FAIL: $*"; exit 1; }
bashcomp=/usr/share/bash-completion/bash_completion
[ -f $bashcomp ] || { echo "SKIP: no bash-completion (scripts/setup.sh --test installs it)"; exit 77; }
for tool in fish zsh man; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool (scripts/setup.sh --test installs it)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen=$tmp/gen
cmake -DBIN="$bin" -DOUT="$gen" -DVERSION=0 -P "$src/cmake/cli_docs.cmake" >"$tmp/gen.log" 2>&1 ||
  fail "cli_docs.cmake: $(cat "$tmp/gen.log")"
# A working directory with one file and one directory, to tell file from directory completion.
mkdir -p "$tmp/cwd/somedir" && touch "$tmp/cwd/somefile"
cd "$tmp/cwd" || exit 1

subs=$("$bin" --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$subs" ] || fail "no subcommands in --help"

# ---- man page
for sub in $subs; do
  grep -qxF ".SS \"$sub\"" "$gen/wasmdev.1" || fail "the man page has no section for $sub"
done
warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$gen/wasmdev.1" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man warns about wasmdev.1: $warnings"

# ---- bash: COMP_WORDS as bash splits them (an '=' is a word of its own; LINE is then the
# command line as typed); prints COMPREPLY.
complete_bash() {
  bash -c '. '"$bashcomp"'; . "$1"; shift
           COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE=${LINE:-$*}; COMP_POINT=${#COMP_LINE}
           _wasmdev; printf "%s\n" "${COMPREPLY[@]}"' _ "$gen/wasmdev.bash" "$@" | sed 's|/$||' | sort -u
}
complete_fish() {
  fish --no-config -c "source '$gen/wasmdev.fish'; complete -C '$*'" | cut -f1 | sed 's|/$||' | sort -u
}
expect() {  # expect SHELL "WANTED WORDS" WORDS...: each wanted word is offered
  local shell=$1 want=$2; shift 2
  local got; got=$(complete_$shell "$@")
  for w in $want; do
    grep -qxF -- "$w" <<<"$got" || fail "$shell: '$*' does not offer $w; it offers: $(echo $got)"
  done
}
refuse() {  # refuse SHELL "UNWANTED" WORDS...
  local shell=$1 unwanted=$2; shift 2
  local got; got=$(complete_$shell "$@")
  for w in $unwanted; do
    grep -qxF -- "$w" <<<"$got" && fail "$shell: '$*' offers $w; it offers: $(echo $got)"
  done
  return 0
}

profiles=$("$bin" build --all-profiles --help | sed -n '/^Profiles/,/^$/s/^  \([a-z][a-z0-9-]*\)  .*/\1/p')
[ -n "$profiles" ] || fail "no profiles in build --all-profiles --help"
for shell in bash fish; do
  expect $shell "$subs somedir" wasmdev ""
  expect $shell "$profiles" wasmdev build ""
  expect $shell "emscripten-browser-debug" wasmdev build emscripten-browser-d
  expect $shell "somedir" wasmdev serve ""
  refuse $shell "somefile" wasmdev serve ""
  expect $shell "somedir" wasmdev build --srcdir ""
  refuse $shell "somefile" wasmdev build --srcdir ""
  expect $shell "somefile" wasmdev serve --cert ""
  expect $shell "somefile somedir" wasmdev doctor ""
  # Every option whose help lists choices completes exactly those, in every subcommand.
  for sub in $subs; do
    "$bin" $sub --help | sed -n 's/^ *\(--[a-z0-9-]*\) [A-Z]*:{\([^}]*\)}.*/\1 \2/p' | sort -u |
      while read -r opt choices; do
        expect $shell "${choices//,/ }" wasmdev $sub $opt "" || exit 1
      done || exit 1
    "$bin" $sub --help | sed -n 's/^ *\(-[a-z],\)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' | sort -u | head -3 |
      while read -r opt; do
        expect $shell "$opt" wasmdev $sub "${opt:0:4}" || exit 1
      done || exit 1
  done
done
LINE="wasmdev serve --log-level=" expect bash "trace debug" wasmdev serve --log-level = ""
expect bash "--port" wasmdev somedir --po  # `wasmdev ROOT --port` is serve

# ---- zsh: the file parses, and names the same choices.
zsh -n "$gen/_wasmdev" || fail "_wasmdev does not parse"
grep -q -- "--format=\[.*:(apache nginx caddy" "$gen/_wasmdev" || fail "_wasmdev lacks htaccess --format's choices"
grep -qF "emscripten-browser-debug" "$gen/_wasmdev" || fail "_wasmdev lacks build's profiles"

# ---- a command the binary does not have yet: its choices complete, the man page has it.
formats="apache nginx caddy netlify netlify-toml cloudflare vercel firebase github-pages"
cmake -DBIN="$src/tests/packaging/fake_cli.sh" -DOUT="$gen" -DVERSION=0 -P "$src/cmake/cli_docs.cmake" >"$tmp/gen.log" 2>&1 ||
  fail "cli_docs.cmake on fake_cli.sh: $(cat "$tmp/gen.log")"
grep -qxF '.SS "deploy"' "$gen/wasmdev.1" || fail "the man page has no section for a new subcommand"
for shell in bash fish; do
  expect $shell "deploy" wasmdev ""
  expect $shell "$formats" wasmdev deploy --format ""
  expect $shell "--format --write -o --header" wasmdev deploy -
  expect $shell "somedir" wasmdev deploy ""
  refuse $shell "somefile" wasmdev deploy ""
done
zsh -n "$gen/_wasmdev" || fail "_wasmdev for fake_cli.sh does not parse"
echo "PASS: man page and completions for: $(echo $subs), and a new deploy command"
