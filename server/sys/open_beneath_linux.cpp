// Linux: openat2(2) in one step the kernel checks, the component walk (open_beneath_walk.cpp)
// with O_PATH steps where it is missing (ENOSYS before 5.6, EPERM from a seccomp filter that
// does not know it).
#include "server/sys/open_beneath.hpp"
#include "server/sys/open_beneath_walk.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace wasmdev::sys {
namespace {

// Whether openat2 answered ENOSYS (kernel before 5.6) or EPERM (a seccomp filter that does not
// know it): then every later open takes the walk without asking again.
std::atomic<bool> openat2_missing{false};

int try_openat2(int dir_fd, char const* path, int flags, std::uint64_t resolve) {
    if (openat2_missing.load(std::memory_order_relaxed)) return -ENOSYS;
    open_how how{};
    how.flags = std::uint64_t(flags | O_CLOEXEC);
    how.resolve = resolve | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    int const fd = int(::syscall(SYS_openat2, dir_fd, path, &how, sizeof how));
    if (fd >= 0) return fd;
    int const err = errno;
    if (err == ENOSYS || err == EPERM) {
        openat2_missing.store(true, std::memory_order_relaxed);
        return -ENOSYS;
    }
    return -err;
}

}  // namespace

namespace walk {

// O_PATH | O_NOFOLLOW opens a symlink itself rather than what it names (and needs no read
// permission on the directory): refused here after an fstat.
int open_directory_step(int dir_fd, std::string const& name) {
    int const next = ::openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) return -errno;
    struct stat st {};
    if (::fstat(next, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int const err = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
        ::close(next);  // an O_PATH descriptor: nothing to flush
        return -err;
    }
    return next;
}

// O_NOFOLLOW: a symlink as the last component is ELOOP, as RESOLVE_NO_SYMLINKS says (ENOTDIR
// when flags hold O_DIRECTORY; Linux answers that, and it is passed on as it is).
int open_last_step(int dir_fd, std::string const& name, int flags) {
    int const fd = ::openat(dir_fd, name.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
    return fd >= 0 ? fd : -errno;
}

}  // namespace walk

int open_beneath(int dir_fd, std::string const& relative, int flags) {
    int const fd = try_openat2(dir_fd, relative.empty() ? "." : relative.c_str(), flags, RESOLVE_BENEATH);
    if (fd != -ENOSYS) return fd;
    return open_beneath_walk(dir_fd, relative, flags);
}

int open_absolute(std::string const& absolute, int flags) {
    int const fd = try_openat2(AT_FDCWD, absolute.c_str(), flags, 0);
    if (fd != -ENOSYS) return fd;
    int const top = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (top < 0) return -errno;
    int const out = open_beneath_walk(top, absolute, flags);
    ::close(top);  // O_PATH: nothing to flush
    return out;
}

int open_directory(char const* absolute) {
    int const fd = ::open(absolute, O_PATH | O_DIRECTORY | O_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

int open_directory_beneath(int dir_fd, std::string const& relative) {
    return open_beneath(dir_fd, relative, O_PATH | O_DIRECTORY);
}

}  // namespace wasmdev::sys
