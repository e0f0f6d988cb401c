// Opening a path in one step the kernel checks (docs/design.md#symlinks): openat2(2) with
// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS (and RESOLVE_BENEATH below a directory), so what
// is opened is exactly the path given, never what a symlink swapped in meanwhile names. Where
// openat2 is missing (ENOSYS, or EPERM from a seccomp filter) a component-by-component walk
// with O_NOFOLLOW refuses symlinks the same way. Which path to open is resolve.hpp's decision.
#pragma once
#include <string>

namespace wasmdev::fs {

// Opens relative (segments joined by '/', no "..", "" for dir_fd itself) beneath dir_fd with
// flags (O_CLOEXEC is added). Returns the descriptor, or -errno: -ELOOP when a symlink is on
// the way, -ENOENT / -ENOTDIR when nothing is there.
int open_beneath(int dir_fd, std::string const& relative, int flags);

// The same for an absolute path (a --follow-symlinks target outside the root): symlink-free.
int open_absolute(std::string const& absolute, int flags);

// The walk alone, as used without openat2; for tests of that route.
int open_beneath_walk(int dir_fd, std::string const& relative, int flags);

}  // namespace wasmdev::fs
