#!/usr/bin/env bash
# The real binary's command line (docs/design.md#commands): --port 0 prints the URL it listens on, a
# taken port and bad flags fail with one clear line and the right exit code, SIGINT and
# SIGTERM stop it cleanly (exit 0), --version/--help work. Every run of the binary is bounded:
# a command expected to exit runs under timeout(1), and a server is waited for with
# wait_for_exit, so a regression fails this test instead of hanging it. Usage: cli.sh WASMDEV REPO_ROOT
set -u
bin=$1
. "$(dirname "$0")/wait.bash"
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
echo hello > "$tmp/hello.txt"

# Starts the server in the background; sets pid and url once it prints its URL line.
start() {
  "$bin" serve "$tmp" --port 0 "$@" >"$tmp/out.log" 2>"$tmp/err.log" &
  pid=$!; pids+=("$pid")
  url=$(wait_for_url "$tmp/out.log") && return 0
  fail "no URL line within 60 s: $(cat "$tmp/out.log" "$tmp/err.log")"
}

# --version names the release and the commit it was built from (cmake/git_commit.cmake):
# a git describe in a checkout, "unknown" only in a tree without git.
version=$(timeout 20 "$bin" --version)
printf '%s\n' "$version" | grep -Eq '^wasmdev [0-9]+\.[0-9]+\.[0-9]+ \(git [0-9A-Za-z._/-]+\)$' || fail "--version: $version"
if [ -e "$2/.git" ] && command -v git >/dev/null; then
  [[ $version == *"(git $(git -C "$2" rev-parse --short HEAD)"* || $version == *"-g$(git -C "$2" rev-parse --short HEAD)"* ]] ||
    fail "--version does not name this checkout's commit: $version"
fi
timeout 20 "$bin" serve --help | grep -q -- '--allow-host' || fail "serve --help lists --allow-host"

# Bad usage: exit 2 and exactly one line naming the flag or value.
for args in "serve --bogus" "serve --port 70000" "serve --coep maybe" "serve --header NoColon" \
            "serve --header Content-Length:1" "serve --allow-host a/b" \
            "serve /definitely/not/here" "serve --bind not-an-ip" \
            "check --format bogus http://127.0.0.1:9/"; do
  set +e; out=$(timeout 20 "$bin" $args 2>&1 >/dev/null); rc=$?; set -e
  [ $rc = 2 ] || fail "'$args' exited $rc, want 2 ($out)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "'$args' printed more than one line: $out"
  set +e
done
# check --format takes every format deploy writes (one table): not a usage error. Port 9 refuses
# at once, so the check itself fails fast, with its own exit code.
formats=$(timeout 20 "$bin" deploy --help | sed -n 's/.*--format TEXT:{\([a-z,-]*\)}.*/\1/p' | head -1 | tr ',' ' ')
[ -n "$formats" ] || fail "deploy --help names no --format choices: $(timeout 20 "$bin" deploy --help)"
for f in $formats; do
  set +e; out=$(timeout 60 "$bin" check --format "$f" --max-resources 1 --timeout 5 http://127.0.0.1:9/ 2>&1); rc=$?; set -e
  [ $rc != 2 ] || fail "check --format $f is refused as usage although deploy writes it: $out"
  set +e
done
# --header values with control characters (CR, LF, NUL is unpassable in argv, other C0, DEL):
# exit 2 at parse time with one line that shows them escaped.
for value in 'Content-Type: text/plain' 'ETag: "v1"' $'X-A: a\r\nX-B: b' $'X-A: a\nb' $'X-A: a\x01b' $'X-A: \e[31mred' $'X-A: a\x7f' $'X\x01: v'; do
  set +e; out=$(timeout 20 "$bin" serve --header "$value" "$tmp" 2>&1 >/dev/null); rc=$?; set -e
  [ $rc = 2 ] || fail "--header $(printf %q "$value") exited $rc, want 2 ($out)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "--header $(printf %q "$value") printed more than one line: $out"
  # A raw LF makes a second line (checked above); grep is line-based, so its class holds every
  # other C0 control but TAB, and DEL (an LF inside a bracket would split the pattern in two).
  printf '%s' "$out" | LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' && fail "--header error echoes raw control bytes: $(printf %q "$out")"
  set +e
done
set +e
timeout 20 "$bin" serve --bogus 2>&1 | grep -q -- '--bogus' || fail "the error names --bogus"

# --port 0: the printed URL is the real one.
start
[ "$(curl -s -m 10 "${url}hello.txt")" = hello ] || fail "GET via the printed URL"
port=${url##*:}; port=${port%/}

# A file whose name holds a backslash is not listed: the target grammar refuses every
# backslash (docs/design.md#paths), so its link could only answer 400.
printf 'back' > "$tmp/a\\b.txt"
curl -s -m 5 "$url" > "$tmp/listing.html"
grep -q 'hello.txt' "$tmp/listing.html" || fail "the listing lacks hello.txt"
grep -q 'a%5Cb.txt\|a\\b.txt' "$tmp/listing.html" && fail "the listing links a\\b.txt, which answers 400"
rm "$tmp/a\\b.txt"

# The same port again: exit 1 with the documented sentence.
out=$(timeout 20 "$bin" serve "$tmp" --port "$port" 2>&1); rc=$?
[ $rc = 1 ] || fail "a taken port exited $rc, want 1"
[ "$out" = "error: port $port is in use (try --port 0)" ] || fail "taken-port message: $out"

# The default subcommand is serve: `wasmdev DIR` works.
"$bin" "$tmp" --port 0 >"$tmp/out2.log" 2>&1 & p2=$!; pids+=("$p2")
wait_for_match 'http://127\.0\.0\.1:' 60 "$tmp/out2.log" >/dev/null || fail "wasmdev DIR did not serve (no URL line within 60 s)"
kill -INT "$p2"; wait_for_exit "$p2" 20; rc=$?; [ $rc = 0 ] || fail "SIGINT exit code $rc, want 0 (124: still running 20 s later)"

# An IPv4-mapped loopback bind is loopback: no network warning, and the Host check holds.
"$bin" serve "$tmp" --port 0 --bind ::ffff:127.0.0.1 >"$tmp/out3.log" 2>&1 & p3=$!; pids+=("$p3")
wait_for_match 'http://\[::ffff:127\.0\.0\.1\]:' 60 "$tmp/out3.log" >/dev/null
port3=$(grep -o 'http://\[::ffff:127.0.0.1\]:[0-9]*/' "$tmp/out3.log" | head -n1 | sed 's/.*://; s,/,,')
[ -n "$port3" ] || fail "--bind ::ffff:127.0.0.1: no URL line: $(cat "$tmp/out3.log")"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Host: evil.test' "http://127.0.0.1:$port3/hello.txt")
[ "$code" = 403 ] || fail "--bind ::ffff:127.0.0.1: Host evil.test got $code, want 403"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://[::ffff:127.0.0.1]:$port3/hello.txt")
[ "$code" = 200 ] || fail "--bind ::ffff:127.0.0.1: its own URL got $code, want 200"
kill "$p3"; wait_for_exit "$p3" 20; [ $? != 124 ] || fail "--bind ::ffff:127.0.0.1: still running 20 s after SIGTERM"
# Read once the server has ended: a warning is logged after the URL line, so earlier it may not be there yet.
grep -q 'network' "$tmp/out3.log" && fail "--bind ::ffff:127.0.0.1 warned about the network: $(cat "$tmp/out3.log")"

# SIGTERM while a download is in flight: it finishes, then exit 0.
head -c 50000000 /dev/zero > "$tmp/big.bin"
curl -s -m 60 --limit-rate 50M -D "$tmp/got.head" -o "$tmp/got.bin" "${url}big.bin" & c=$!
# SIGTERM once the response is in flight (curl writes the head it received), not after a guess.
wait_for_match '^HTTP/1.1 200' 60 "$tmp/got.head" >/dev/null || fail "the download never began"
kill -TERM "$pid"; wait_for_exit "$pid" 20; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit code $rc, want 0 (124: still running 20 s later)"
wait_for_exit "$c" 60 || fail "curl of the in-flight download failed or hung"
[ "$(stat -c %s "$tmp/got.bin")" = 50000000 ] || fail "the in-flight download was cut short by SIGTERM"
echo "PASS: cli"
