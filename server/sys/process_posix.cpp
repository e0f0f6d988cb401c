// Other POSIX systems: pipe + fcntl(FD_CLOEXEC), a waiter thread per exit notice (waitid with
// WNOWAIT, so the child stays for the caller to reap), FreeBSD's reaper (spawn.cpp holds
// posix_spawn for every OS).
#include "server/sys/process.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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
        if (::fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0 ||
            (nonblocking && ::fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) != 0)) {
            int const err = errno;
            ::close(fds[0]);
            ::close(fds[1]);
            fds[0] = fds[1] = -1;
            return err;
        }
    }
    return 0;
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
        while (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {}
        char const byte = 1;
        [[maybe_unused]] auto _ = ::write(out, &byte, 1);  // EPIPE when nobody listens any more: fine
        ::close(out);
    }).detach();
    return fds[0];
}

int reap(pid_t pid) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return status;
}

void adopt_orphans() {
#if defined(__FreeBSD__)
    ::procctl(P_PID, ::getpid(), PROC_REAP_ACQUIRE, nullptr);
#endif
}

}  // namespace wasmdev::sys
