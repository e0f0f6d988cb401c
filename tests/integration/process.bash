# Ending a server a script started, for the scripts that start real Apache/nginx or helper
# servers themselves. Source it: . "$(dirname "$0")/process.bash"

# end_process PID: SIGTERM, a bounded wait for the process to be gone (up to 30 s on a loaded
# machine), then SIGKILL only if it ignored TERM. Only ever the PID the script started.
end_process() {
  local p=$1
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null
  timeout 30 tail --pid="$p" -f /dev/null 2>/dev/null
  kill -9 "$p" 2>/dev/null
  return 0
}
