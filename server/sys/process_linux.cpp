// Linux: pipe2, posix_spawn with glibc's addchdir_np and addclosefrom_np, pidfd_open.
#include "server/sys/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace wasmdev::sys {

int open_pipe(int fds[2], bool nonblocking) {
    return ::pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0)) == 0 ? 0 : errno;
}

int spawn(SpawnRequest const& r, pid_t& pid) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if (!r.cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, r.cwd.c_str());
    for (auto const& f : r.fds) {
        switch (f.from) {
        case ChildFd::From::null_read: posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_RDONLY, 0); break;
        case ChildFd::From::null_write: posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_WRONLY, 0); break;
        case ChildFd::From::append_file:
            posix_spawn_file_actions_addopen(&fa, f.child_fd, f.path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
            break;
        case ChildFd::From::descriptor: posix_spawn_file_actions_adddup2(&fa, f.source, f.child_fd); break;
        }
    }
    if (r.close_from >= 0) posix_spawn_file_actions_addclosefrom_np(&fa, r.close_from);
    short flags = 0;
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

int open_exit_notice(pid_t pid) {
    return int(::syscall(SYS_pidfd_open, pid, 0));  // glibc 2.36 declares pidfd_open without C linkage
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

void adopt_orphans() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

}  // namespace wasmdev::sys
