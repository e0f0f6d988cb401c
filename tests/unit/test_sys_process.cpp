// sys/process: a spawned child's exit turns its exit notice readable while the child stays
// for the caller to reap, and pipes never leak into children. Runs against whichever
// implementation this build compiled (pidfd on Linux, the waiter thread with
// WASMDEV_PLATFORM=posix).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "server/sys/process.hpp"

using namespace wasmdev::sys;

namespace {

bool readable_within(int fd, int ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

}  // namespace

TEST_CASE("exit notice: readable once the child exits, and the child is still there to reap") {
    std::string sh = "/bin/sh";
    std::vector<char*> argv{sh.data(), const_cast<char*>("-c"), const_cast<char*>("read x; exit 3"), nullptr};
    char* envp[] = {nullptr};
    int in[2];
    REQUIRE(open_pipe(in) == 0);
    SpawnRequest req;
    req.program = sh;
    req.argv = argv.data();
    req.envp = envp;
    req.fds = {ChildFd::copy_of(0, in[0]), ChildFd::null_output(1)};
    pid_t pid = 0;
    REQUIRE(spawn(req, pid) == 0);
    ::close(in[0]);
    int const notice = open_exit_notice(pid);
    REQUIRE(notice >= 0);
    CHECK_FALSE(readable_within(notice, 100));  // still reading its stdin
    REQUIRE(::write(in[1], "go\n", 3) == 3);
    CHECK(readable_within(notice, 10'000));
    // Not reaped by the notice: waitpid still finds it, with its status.
    int const status = reap(pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    ::close(notice);
    ::close(in[1]);
}

TEST_CASE("open_pipe: both ends close on exec, and block only when asked") {
    for (bool nonblocking : {false, true}) {
        CAPTURE(nonblocking);
        int fds[2];
        REQUIRE(open_pipe(fds, nonblocking) == 0);
        for (int fd : fds) {
            CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
            CHECK(((::fcntl(fd, F_GETFL) & O_NONBLOCK) != 0) == nonblocking);
            ::close(fd);
        }
    }
}
