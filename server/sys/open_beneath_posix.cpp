// Other POSIX systems (and Linux built with WASMDEV_PLATFORM=posix): no openat2, so every open
// walks the path one component at a time, each openat(2) relative to the descriptor of the
// directory before it, with O_NOFOLLOW: a symlink anywhere on the way is refused, and a rename
// elsewhere in the tree cannot redirect a walk already past it.
#include "server/sys/open_beneath.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

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

int open_beneath_walk(int dir_fd, std::string const& relative, int flags) {
    std::string_view rest = relative;
    int current = dir_fd;
    auto close_current = [&] {
        if (current != dir_fd) ::close(current);  // a directory opened for search: nothing to flush
    };
    while (true) {
        while (rest.starts_with('/')) rest.remove_prefix(1);
        auto const slash = rest.find('/');
        std::string const name(rest.substr(0, slash));
        bool const last =
            slash == std::string_view::npos || rest.find_first_not_of('/', slash) == std::string_view::npos;
        if (name.empty() || name == "..") {  // "" only for dir_fd itself; ".." never comes from resolve()
            int const fd = name.empty() ? ::openat(current, ".", flags | O_CLOEXEC) : -1;
            int const err = name.empty() ? errno : EXDEV;
            close_current();
            return fd >= 0 ? fd : -err;
        }
        // O_NOFOLLOW: a symlink, last or on the way, is ELOOP (EMLINK on FreeBSD); O_DIRECTORY
        // on the way: a file where a directory should be is ENOTDIR.
        int const fd = ::openat(current, name.c_str(), (last ? flags : search_flags) | O_CLOEXEC | O_NOFOLLOW);
        int const err = fd < 0 ? nofollow_error(current, name, errno) : 0;
        close_current();
        if (last || fd < 0) return fd >= 0 ? fd : -err;
        current = fd;
        rest.remove_prefix(slash + 1);
    }
}

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
