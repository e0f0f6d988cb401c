// Other POSIX systems (and Linux built with WASMDEV_PLATFORM=posix): no openat2, so every open
// is the component walk (open_beneath_walk.cpp); its steps here open each component with
// O_NOFOLLOW and tell a refused symlink apart from the other errors.
#include "server/sys/open_beneath.hpp"
#include "server/sys/open_beneath_walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace wasmdev::sys {
namespace {

// Directories on the way are opened only to open their entries: O_SEARCH needs search
// permission alone (FreeBSD, macOS); where it is missing, read permission is needed too.
#if defined(O_SEARCH)
constexpr int search_flags = O_SEARCH | O_DIRECTORY;
#else
constexpr int search_flags = O_RDONLY | O_DIRECTORY;
#endif

// The callers (fs/resolve) take ELOOP as "a symlink is on the way", but O_NOFOLLOW on a
// symlink is ELOOP only without O_DIRECTORY: with it Linux says ENOTDIR, and FreeBSD says
// EMLINK either way. A failed open's ENOTDIR is told apart by an lstat of the name (on the
// failure path only: success costs nothing extra).
int nofollow_error(int dir_fd, std::string const& name, int err) {
    if (err == EMLINK) return ELOOP;
    struct stat st {};
    if (err == ENOTDIR && ::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return ELOOP;
    return err;
}

}  // namespace

namespace walk {

// O_NOFOLLOW: a symlink, last or on the way, is ELOOP (EMLINK on FreeBSD, ENOTDIR with
// O_DIRECTORY), each told apart by nofollow_error.
int open_last_step(int dir_fd, std::string const& name, int flags) {
    int const fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
    return fd >= 0 ? fd : -nofollow_error(dir_fd, name, errno);
}

// O_DIRECTORY on the way: a file where a directory should be is ENOTDIR.
int open_directory_step(int dir_fd, std::string const& name) { return open_last_step(dir_fd, name, search_flags); }

}  // namespace walk

int open_beneath(int dir_fd, std::string const& relative, int flags) {
    return open_beneath_walk(dir_fd, relative, flags);
}

int open_absolute(std::string const& absolute, int flags) {
    int const top = ::open("/", search_flags | O_CLOEXEC);
    if (top < 0) return -errno;
    int const out = open_beneath_walk(top, absolute, flags);
    ::close(top);  // opened for search: nothing to flush
    return out;
}

int open_directory(char const* absolute) {
    int const fd = ::open(absolute, search_flags | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

int open_directory_beneath(int dir_fd, std::string const& relative) {
    return open_beneath_walk(dir_fd, relative, search_flags);
}

}  // namespace wasmdev::sys
