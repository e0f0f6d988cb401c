#!/usr/bin/env bash
# A run leaves no zombie of its browser behind, whatever init the machine has: in a container
# whose PID 1 never reaps orphans (here a PID namespace whose first process waits only for its
# own child), the browser's helpers that outlive the browser process used to become zombies
# there and each run waited 2 s for them; wasmdev now adopts its orphans and reaps the group itself.
. "$(dirname "$0")/script.bash"
. "$(dirname "$0")/run.bash"
cd "$2/tests/fixtures/run"
unshare --fork --pid --mount-proc true 2>/dev/null || { echo "SKIP: no PID namespace here (unshare needs root)"; exit 77; }

# PID 1 of the namespace: runs the command, waits for it alone, then lists the zombies left.
cat >"$tmp/init.py" <<'PY'
import os, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=110)
zombies = []
for pid in (d for d in os.listdir('/proc') if d.isdigit() and d != '1'):
    try:
        stat = open(f'/proc/{pid}/stat').read()
    except OSError:
        continue
    if stat.rsplit(')', 1)[1].split()[0] == 'Z':
        zombies.append(stat.split(')')[0] + ')')
print(f'exit {run.returncode}')
print(f'zombies {len(zombies)}: {" ".join(zombies[:8])}')
sys.stdout.write(run.stderr)
PY
timeout 150 unshare --fork --pid --mount-proc python3 "$tmp/init.py" "$bin" run --timeout 100 csp.html >"$tmp/out" 2>&1 ||
  fail "the namespace's run failed: $(cat "$tmp/out")"
grep -qx 'exit 4' "$tmp/out" || fail "want the page's exit code 4: $(cat "$tmp/out")"
grep -q '^zombies 0:' "$tmp/out" || fail "the run left zombies of its browser to an init that never reaps: $(cat "$tmp/out")"
echo "ok: exit 4 and no zombie left for a PID 1 that does not reap"
