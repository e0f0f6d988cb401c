// Starting, watching and reaping child processes (docs/design.md#processes): posix_spawn with the
// descriptors, working directory, process group and signal state a caller asks for, pipes that
// never leak into children, and a descriptor that turns readable when a child exits. Linux
// (process_linux.cpp): pipe2, posix_spawn's closefrom/chdir, pidfd_open. Elsewhere
// (process_posix.cpp): pipe+fcntl, each OS's spelling of those spawn actions, a waiter thread.
// What to run and what its output means is cpython/process's business.
#pragma once
#include <sys/types.h>

#include <chrono>

#include <string>
#include <utility>
#include <vector>

namespace wasmdev::sys {

// A pipe whose ends close on exec (and, when asked, never block). 0, or errno.
int open_pipe(int fds[2], bool nonblocking = false);

// One descriptor of the child, set up in order before it runs.
struct ChildFd {
    enum class From { null_read, null_write, append_file, descriptor };
    int child_fd = -1;
    From from = From::null_read;
    int source = -1;     // From::descriptor: ours, dup2'd onto child_fd
    std::string path{};  // From::append_file: created 0600 if missing

    static ChildFd null_input(int child_fd) { return {child_fd, From::null_read, -1, {}}; }
    static ChildFd null_output(int child_fd) { return {child_fd, From::null_write, -1, {}}; }
    static ChildFd appending(int child_fd, std::string path) {
        return {child_fd, From::append_file, -1, std::move(path)};
    }
    static ChildFd copy_of(int child_fd, int ours) { return {child_fd, From::descriptor, ours, {}}; }
};

struct SpawnRequest {
    std::string program{};        // a path; no PATH search here
    char* const* argv = nullptr;  // null-terminated
    char* const* envp = nullptr;  // null-terminated
    std::string cwd{};            // "" keeps ours
    std::vector<ChildFd> fds{};
    int close_from = -1;                 // closes every other descriptor >= this in the child; -1: none
    bool own_process_group = false;      // a group of its own, named by its pid
    std::vector<int> default_signals{};  // reset to SIG_DFL in the child
    bool empty_signal_mask = false;
};

// posix_spawn: 0 with pid set, or errno.
int spawn(SpawnRequest const& request, pid_t& pid);

// A descriptor that polls readable (POLLIN) once pid, our child, has exited; the child stays
// unreaped. The caller closes it. -1 when the OS offers none (then poll the pid instead).
int open_exit_notice(pid_t pid);

// waitpid(pid) through EINTR: the wait status (0 when pid was not, or no longer is, our child).
int reap(pid_t pid);

// Reaps pid if it has exited, without blocking: true with its wait status in `status` then,
// false while it runs.
bool reap_if_exited(pid_t pid, int& status);

// Sends sig to every member of process group pgid: 0, or errno (ESRCH once the group is
// empty). Async-signal-safe (kill(2) alone), so a signal handler may forward with it.
int signal_group(pid_t pgid, int sig);

// Makes this process the reaper of its descendants' orphans, so that the members of a group we
// ended become our children and reap_group() collects them at once, instead of an init that
// may reap late (measured: 1.5 s in a VM) or, in a container without one, never. Linux:
// PR_SET_CHILD_SUBREAPER; FreeBSD: procctl(PROC_REAP_ACQUIRE); elsewhere nothing (orphans go
// to init, and reap_group() waits for it). For a command that starts a browser, not a server.
void adopt_orphans();

// Reaps the members of process group pgid that are our exited children, without blocking,
// until the group is empty (kill(-pgid, 0) fails): true then, false if members remain after
// `limit`.
bool reap_group(pid_t pgid, std::chrono::milliseconds limit);

// Reaps our children as they exit, for at most `limit`: true once we have none left. After
// adopt_orphans(), what a browser started in sessions of its own (Chromium's crash handlers,
// which leave its process group and exit once the browser is gone) comes back to us; a
// command that has no other child calls it last, so that nothing of the browser outlives it.
bool reap_children(std::chrono::milliseconds limit);

}  // namespace wasmdev::sys
