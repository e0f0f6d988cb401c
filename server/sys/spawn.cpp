// posix_spawn with the descriptors, directory, process group and signal state a SpawnRequest
// asks for (sys/process.hpp), on every OS: each one's spelling of "change directory" (glibc
// 2.29+, macOS 10.15+, FreeBSD 13.1+) and "close the rest" (glibc 2.34+ and FreeBSD 13.1+:
// addclosefrom_np; macOS: POSIX_SPAWN_CLOEXEC_DEFAULT) is chosen here, in the one copy.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "server/sys/process.hpp"

namespace wasmdev::sys {

int spawn(SpawnRequest const& r, pid_t& pid) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if (!r.cwd.empty()) {
        // glibc 2.29+, macOS 10.15+, FreeBSD 13.1+.
        if (int const rc = posix_spawn_file_actions_addchdir_np(&fa, r.cwd.c_str()); rc != 0) {
            posix_spawn_file_actions_destroy(&fa);
            posix_spawnattr_destroy(&attr);
            return rc;
        }
    }
    for (auto const& f : r.fds) {
        switch (f.from) {
            case ChildFd::From::null_read:
                posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_RDONLY, 0);
                break;
            case ChildFd::From::null_write:
                posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_WRONLY, 0);
                break;
            case ChildFd::From::append_file:
                posix_spawn_file_actions_addopen(&fa, f.child_fd, f.path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
                break;
            case ChildFd::From::descriptor: posix_spawn_file_actions_adddup2(&fa, f.source, f.child_fd); break;
        }
    }
    short flags = 0;
    if (r.close_from >= 0) {
#if defined(__APPLE__)
        // Everything not named by a file action is closed; descriptors below close_from that
        // the caller did not name are ours to keep out too, which is what close_from is for.
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#elif (defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))) || \
    (defined(__FreeBSD__) && __FreeBSD_version >= 1301000)
        posix_spawn_file_actions_addclosefrom_np(&fa, r.close_from);
#else
        // No portable way: our own descriptors are all opened close-on-exec.
#endif
    }
    if (r.own_process_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        posix_spawnattr_setpgroup(&attr, 0);
    }
    if (!r.default_signals.empty()) {
        sigset_t defaults;
        sigemptyset(&defaults);
        for (int s : r.default_signals) sigaddset(&defaults, s);
        posix_spawnattr_setsigdefault(&attr, &defaults);
        flags |= POSIX_SPAWN_SETSIGDEF;
    }
    if (r.empty_signal_mask) {
        sigset_t empty;
        sigemptyset(&empty);
        posix_spawnattr_setsigmask(&attr, &empty);
        flags |= POSIX_SPAWN_SETSIGMASK;
    }
    posix_spawnattr_setflags(&attr, flags);
    int const rc = ::posix_spawn(&pid, r.program.c_str(), &fa, &attr, r.argv, r.envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    return rc;
}

}  // namespace wasmdev::sys
