#!/usr/bin/env bash
# Checks that every OS-specific call lives behind server/sys/ (docs/design.md#platforms): no other
# file of server/ or mime/ names a Linux-only (or macOS/BSD-only) call, header, field, path or
# OS test macro. Comments are not code and are not scanned. No build needed.
# Usage: platform_calls.sh REPO_ROOT. Each finding is printed as FILE:LINE: the line; exit 1
# when there is one.
set -u
root=${1:-}
if [ -z "$root" ]; then
  echo "usage: $0 REPO_ROOT" >&2
  exit 2
fi
cd "$root" || exit 2

# One alternative per family; each is a word the portable code never needs.
calls=(
  'openat2' 'O_PATH' 'RESOLVE_[A-Z_]+'                       # opening beneath a root
  'sendfile' 'TCP_CORK' 'TCP_NOPUSH' 'MSG_NOSIGNAL' 'SO_NOSIGPIPE'  # sending files, corking
  'sched_[gs]etaffinity' 'cpu_set_t' 'cpuset_getaffinity' '/proc/' '/sys/fs/cgroup'  # usable CPUs
  'inotify_[a-z_]+' 'kqueue' 'kevent' 'EVFILT_[A-Z]+' 'eventfd'      # watching a tree
  'pipe2' 'posix_spawn[a-z_]*' '[a-z_]+_np' 'pidfd[a-z_]*' 'prctl' 'syscall' 'SYS_[a-z0-9_]+'  # processes
  'getrandom' 'getentropy'                                     # random bytes
  'xdg-open'                                                   # opening a browser
  'st_[amc]tim' 'st_[amc]timespec' 'st_birthtim[a-z]*'         # file times
  'mallopt' 'malloc_trim' 'mallinfo2?' '__GLIBC__' '#include <malloc\.h>'  # the allocator
  '__linux__' '__gnu_linux__' '__APPLE__' '__MACH__' '__FreeBSD__' '__NetBSD__' '__OpenBSD__' '__DragonFly__'
  '#include <linux/' '#include <sys/(inotify|eventfd|sendfile|random|prctl|event|syscall|signalfd|epoll)\.h>'
)
pattern=$(IFS='|'; echo "${calls[*]}")

mapfile -d '' files < <(find server mime -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) \
  ! -path 'server/sys/*' -print0 2>/dev/null)

# Strips // comments (and whole-line /* */ ones) before matching; a "//" inside a string
# literal hides the rest of its line, which only ever loses a finding, never invents one.
found=$(awk -v pat="$pattern" '
  FNR == 1 { in_block = 0 }
  {
    line = $0
    if (in_block) { if (line ~ /\*\//) { sub(/.*\*\//, "", line); in_block = 0 } else next }
    if (line ~ /^[ \t]*\/\*/ && line !~ /\*\//) { in_block = 1; next }
    sub(/\/\/.*/, "", line)
    if (line ~ "(^|[^A-Za-z0-9_])(" pat ")([^A-Za-z0-9_]|$)") print FILENAME ":" FNR ": " $0
  }' "${files[@]}")

if [ -n "$found" ]; then
  echo "$found"
  echo "platform_calls: the calls above are OS-specific; put them behind server/sys/ (docs/design.md#platforms)"
  exit 1
fi
echo "platform_calls: ${#files[@]} files outside server/sys/ name no OS-specific call"
