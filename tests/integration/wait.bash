# Waiting on events for the integration scripts: a line appearing in a server's output is seen
# through inotify (tail -F), not by polling with sleeps; every wait has a deadline, so a wedged
# server fails its test instead of hanging it. Source it: . "$(dirname "$0")/wait.bash"
# It also bounds every curl of the script that sources it (see the end).

# wait_for_match REGEX SECONDS FILE...: prints the first match (grep -oE) of REGEX in the
# FILEs, as soon as it is written; returns 1 when SECONDS pass without one.
wait_for_match() {
  local regex=$1 secs=$2
  shift 2
  # tail exits by itself once the waiting shell is gone (--pid), also after a timeout.
  timeout "$secs" bash -c 'grep -m1 -ohE -- "$0" <(exec tail -q -n +1 -F --pid=$$ "$@" 2>/dev/null)' \
    "$regex" "$@" | head -n1
  [ "${PIPESTATUS[0]}" = 0 ]
}

# wait_for_url FILE [SECONDS]: the http://127.0.0.1:PORT/ line wasmdev prints once listening.
wait_for_url() {
  wait_for_match 'http://127\.0\.0\.1:[0-9]+/' "${2:-60}" "$1"
}

# wait_for_exit PID SECONDS: waits for the background child PID to end and returns its exit
# status; returns 124 (as timeout(1) does) and leaves it running when SECONDS pass first. A bare
# `wait PID` after a signal hangs the whole test when the signal is lost or ignored.
wait_for_exit() {
  timeout "$2" tail --pid="$1" -s 0.1 -f /dev/null 2>/dev/null || return 124
  wait "$1"
}

# Every curl of a script gets a deadline: a wedged server fails the test instead of hanging it
# until ctest's limit. curlrc/.curlrc sets --max-time 60; a call's own --max-time/-m wins. (A
# shell function wrapping curl would not do: `curl ... &` would then be a subshell, and killing
# $! would leave curl running.)
export CURL_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/curlrc"
