# What the `wasmdev run` scripts share, on top of script.bash: skipping without Chromium, and the
# check that a run left nothing behind, by what its -v line recorded (the browser's process
# group and its profile directory), never by a process name. Source it after script.bash.

# A run started in the background ($runner) ends by SIGTERM, its own cleanup path, before the
# temporary directory goes: a SIGKILL would leave its browser behind.
runner=
run_cleanup() {
  [ -n "$runner" ] && kill -TERM "$runner" 2>/dev/null && timeout 10 tail --pid="$runner" -f /dev/null
  cleanup
}
trap run_cleanup EXIT

[ -x "${WASMDEV_TEST_CHROMIUM:-/usr/bin/chromium}" ] || { echo "SKIP: no Chromium (apt install chromium)"; exit 77; }

# recorded_run ERRFILE: sets run_pgid and run_dir from the -v line in ERRFILE.
recorded_run() {
  local line
  line=$(grep -m1 -E '^wasmdev: run: .* pid [0-9]+ \(process group [0-9]+\), profile ' "$1") ||
    fail "no -v line in $1: $(cat "$1")"
  run_pgid=$(sed -E 's/.*process group ([0-9]+)\).*/\1/' <<<"$line")
  run_dir=$(sed -E 's/.*, profile (.*)$/\1/' <<<"$line")
}

# left_nothing_behind: no process of the recorded group, none naming the profile directory in
# its command line, and no directory.
left_nothing_behind() {
  local left
  left=$(pgrep -g "$run_pgid" || true)
  [ -z "$left" ] || fail "processes of the browser's group $run_pgid are left: $(ps -o pid,stat,args -g "$run_pgid" 2>&1 | head -5)"
  # Read by the shell itself: a grep given the path would find its own command line.
  local f cmd
  left=
  for f in /proc/[0-9]*/cmdline; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
    [[ $cmd == *"$run_dir"* ]] && left+=" ${f%/cmdline}: $cmd"
  done
  [ -z "$left" ] || fail "processes naming $run_dir are left:$left"
  [ ! -e "$run_dir" ] || fail "the profile directory $run_dir is left"
}
