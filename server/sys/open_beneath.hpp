// Opening a path beneath a directory without following any symlink (docs/design.md#symlinks), so
// what is opened is exactly the path given, never what a symlink swapped in meanwhile names.
// Linux (open_beneath_linux.cpp): openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS, the walk
// below (open_beneath_walk.cpp, one copy for every OS) where openat2 is missing. Other systems
// (open_beneath_posix.cpp): the walk alone. Which path to open is fs/resolve's decision.
#pragma once
#include <string>

namespace wasmdev::sys {

// Opens relative (segments joined by '/', no "..", "" for dir_fd itself) beneath dir_fd with
// flags (O_CLOEXEC is added). Returns the descriptor, or -errno: -ELOOP when a symlink is on
// the way, -ENOENT / -ENOTDIR when nothing is there.
int open_beneath(int dir_fd, std::string const& relative, int flags);

// The same for an absolute path (a --follow-symlinks target outside the root): symlink-free.
int open_absolute(std::string const& absolute, int flags);

// The component walk alone (race-free: each step opens from the descriptor of the one before,
// never by name from the top); for tests of that route.
int open_beneath_walk(int dir_fd, std::string const& relative, int flags);

// A directory opened only to open things beneath it and fstat it (Linux: O_PATH, which needs
// no read permission; elsewhere O_SEARCH where defined, else O_RDONLY). -errno on failure.
int open_directory(char const* absolute);
// The same beneath dir_fd, with the symlink rules of open_beneath: a directory readable only
// by search permission is still a directory whose index may be served.
int open_directory_beneath(int dir_fd, std::string const& relative);

}  // namespace wasmdev::sys
