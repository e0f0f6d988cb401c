// Other POSIX systems: pipe + fcntl(FD_CLOEXEC), posix_spawn with each OS's spelling of
// "change directory" and "close the rest" (macOS: POSIX_SPAWN_CLOEXEC_DEFAULT), and a waiter
// thread per exit notice (waitid with WNOWAIT, so the child stays for the caller to reap).
#include "server/sys/process.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#if defined(__FreeBSD__)
#include <sys/procctl.h>
#endif
#include <unistd.h>

#include <cerrno>
#include <thread>

namespace wasmdev::sys {

int open_pipe(int fds[2], bool nonblocking) {
    if (::pipe(fds) != 0) return errno;
    for (int i = 0; i < 2; ++i) {
        // Not atomic with the pipe's creation (pipe2 is not everywhere): a spawn from another
        // thread in between could inherit it. wasmdev spawns from one thread at a time.
        int const fl = ::fcntl(fds[i], F_GETFL);
        if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 || (nonblocking && ::fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) != 0)) {
            int const err = errno;
            ::close(fds[0]);
            ::close(fds[1]);
            fds[0] = fds[1] = -1;
            return err;
        }
    }
    return 0;
}

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
        case ChildFd::From::null_read: posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_RDONLY, 0); break;
        case ChildFd::From::null_write: posix_spawn_file_actions_addopen(&fa, f.child_fd, "/dev/null", O_WRONLY, 0); break;
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

int open_exit_notice(pid_t pid) {
    int fds[2];
    if (open_pipe(fds) != 0) return -1;
    std::thread([pid, out = fds[1]] {
        // The caller may close its end first: the write's SIGPIPE then stays blocked in this
        // thread and ends with it, and the write only fails.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
        siginfo_t info{};
        while (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
        }
        char const byte = 1;
        [[maybe_unused]] auto _ = ::write(out, &byte, 1);  // EPIPE when nobody listens any more: fine
        ::close(out);
    }).detach();
    return fds[0];
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

void adopt_orphans() {
#if defined(__FreeBSD__)
    ::procctl(P_PID, ::getpid(), PROC_REAP_ACQUIRE, nullptr);
#endif
}

}  // namespace wasmdev::sys
