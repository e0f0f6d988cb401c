// The two steps of open_beneath_walk (open_beneath_walk.cpp) that each OS takes its own way:
// opening a directory on the way and opening the last component, neither following a symlink.
// Linux (open_beneath_linux.cpp): O_PATH and an fstat; elsewhere (open_beneath_posix.cpp):
// O_SEARCH or O_RDONLY with O_DIRECTORY, and its errors told apart by an lstat.
#pragma once
#include <string>

namespace wasmdev::sys::walk {

// Opens directory `name` beneath dir_fd only to open things beneath it: the descriptor, or
// -ELOOP when it is a symlink, -ENOTDIR when it is something else that is no directory, -errno.
int open_directory_step(int dir_fd, std::string const& name);

// Opens `name` beneath dir_fd with flags, O_CLOEXEC and O_NOFOLLOW: the descriptor, or -errno.
int open_last_step(int dir_fd, std::string const& name, int flags);

}  // namespace wasmdev::sys::walk
