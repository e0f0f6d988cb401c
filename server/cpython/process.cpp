// sys::spawn with a process group per build step; output through a pipe read with poll()
// so the status line can tick; SIGINT/SIGTERM forwarded to the step's group, escalated to
// SIGTERM and SIGKILL if it lingers. Piped children (run's browser) get fds 3 and 4 as pipes
// and an exit notice (sys::open_exit_notice), so their end is an event the caller polls for.
#include "server/cpython/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include "server/sys/process.hpp"

namespace wasmdev::cpython {

namespace {

std::atomic<pid_t> g_child_pgid{0};
volatile sig_atomic_t g_signal = 0;
std::atomic<bool> g_ever_interrupted{false};

extern "C" void forward_signal(int sig) {
    g_signal = sig;
    g_ever_interrupted.store(true);
    pid_t pg = g_child_pgid.load();
    if (pg > 0) ::kill(-pg, sig);  // kill() is async-signal-safe
}

// Installs the forwarding handlers for the lifetime of one run and restores the previous
// ones (the server installs its own for `repl`).
class SignalScope {
public:
    SignalScope() {
        struct sigaction sa {};
        sa.sa_handler = forward_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;  // no SA_RESTART: poll() returns EINTR and the loop notices
        ::sigaction(SIGINT, &sa, &old_int_);
        ::sigaction(SIGTERM, &sa, &old_term_);
        g_signal = 0;
    }
    ~SignalScope() {
        ::sigaction(SIGINT, &old_int_, nullptr);
        ::sigaction(SIGTERM, &old_term_, nullptr);
    }
    SignalScope(SignalScope const&) = delete;
    SignalScope& operator=(SignalScope const&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

struct SpawnParts {
    std::vector<std::string> envp_strings;
    std::vector<char*> envp;
    std::vector<char*> argv;
};

SpawnParts make_parts(std::vector<std::string> const& argv, Environment const& env) {
    SpawnParts p;
    p.envp_strings = to_envp(env);
    for (auto& s : p.envp_strings) p.envp.push_back(s.data());
    p.envp.push_back(nullptr);
    for (auto const& a : argv) p.argv.push_back(const_cast<char*>(a.c_str()));
    p.argv.push_back(nullptr);
    return p;
}

// argv[0] without a slash is looked up in the child's PATH (posix_spawnp would use ours,
// which lacks the toolchain directories the profile prepends).
std::string resolve_program(std::string const& name, Environment const& env) {
    if (name.find('/') != std::string::npos) return name;
    auto found = find_executable(name, env_get(env, "PATH"));
    return found;
}

ProcessResult finish_status(int status, ProcessResult r) {
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.term_signal = WTERMSIG(status);
        r.exit_code = 128 + r.term_signal;
    }
    r.interrupted = r.interrupted || g_signal != 0;
    return r;
}

}  // namespace

bool interrupt_requested() { return g_ever_interrupted.load(); }

ProcessResult ProcessRunner::run(std::vector<std::string> const& argv, std::filesystem::path const& cwd,
                                 Environment const& env, RunOptions const& opts) const {
    ProcessResult r;
    if (argv.empty()) {
        r.spawn_failed = true;
        r.exit_code = 127;
        r.error = "empty command";
        return r;
    }
    auto program = resolve_program(argv[0], env);
    if (program.empty()) {
        r.spawn_failed = true;
        r.exit_code = 127;
        r.error = argv[0] + ": command not found on PATH";
        return r;
    }
    SignalScope signals;

    int fds[2] = {-1, -1};
    if (!opts.interactive) {
        if (int const err = sys::open_pipe(fds); err != 0) {
            r.spawn_failed = true;
            r.exit_code = 127;
            r.error = std::string("pipe: ") + std::strerror(err);
            return r;
        }
    }
    auto parts = make_parts(argv, env);
    sys::SpawnRequest req;
    req.program = program;
    req.argv = parts.argv.data();
    req.envp = parts.envp.data();
    req.cwd = cwd.string();
    if (!opts.interactive) {
        using F = sys::ChildFd;
        req.fds = {F::null_input(0), F::copy_of(1, fds[1]), F::copy_of(2, fds[1])};
        // Its own process group: a terminal Ctrl-C reaches wasmdev, which forwards it, so the
        // child never races us for the terminal and we always know to report the stop.
        req.own_process_group = true;
    }
    // Children start with default dispositions: wasmdev ignores SIGPIPE for its server, and
    // an inherited SIG_IGN would change how make's pipelines end.
    req.default_signals = {SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD, SIGTTIN, SIGTTOU};
    req.empty_signal_mask = true;
    pid_t pid = 0;
    int rc = sys::spawn(req, pid);
    if (fds[1] >= 0) ::close(fds[1]);
    if (rc != 0) {
        if (fds[0] >= 0) ::close(fds[0]);
        r.spawn_failed = true;
        r.exit_code = 127;
        r.error = "cannot run " + argv[0] + (cwd.empty() ? "" : " in " + cwd.string()) + ": " + std::strerror(rc);
        return r;
    }

    if (opts.interactive) {
        // The terminal's Ctrl-C reaches the child directly; wasmdev only waits.
        return finish_status(sys::reap(pid), r);
    }

    g_child_pgid.store(pid);
    if (g_signal != 0) ::kill(-pid, g_signal);  // a Ctrl-C between spawn and here

    using clock = std::chrono::steady_clock;
    auto last_tick = clock::now();
    std::optional<clock::time_point> interrupted_at;
    int escalation = 0;
    bool child_done = false;
    int status = 0;
    bool pipe_open = true;
    std::optional<clock::time_point> drain_deadline;
    char buf[16384];
    while (pipe_open) {
        pollfd pfd{fds[0], POLLIN, 0};
        int n = ::poll(&pfd, 1, 200);
        if (n > 0) {
            auto got = ::read(fds[0], buf, sizeof buf);
            if (got > 0) {
                if (opts.on_output) opts.on_output(std::string_view(buf, std::size_t(got)));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                pipe_open = false;
            }
        }
        auto now = clock::now();
        if (!child_done) {
            pid_t w = ::waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                child_done = true;
                // Grandchildren may hold the pipe open; read what is there, then stop.
                drain_deadline = now + std::chrono::milliseconds(500);
            }
        }
        if (drain_deadline && now > *drain_deadline) break;
        if (g_signal != 0 && !child_done) {
            if (!interrupted_at) interrupted_at = now;
            auto waited = now - *interrupted_at;
            // A step that ignores Ctrl-C gets SIGTERM after 5 s and SIGKILL after 10 s.
            if (escalation == 0 && waited > std::chrono::seconds(5)) {
                ::kill(-pid, SIGTERM);
                escalation = 1;
            } else if (escalation == 1 && waited > std::chrono::seconds(10)) {
                ::kill(-pid, SIGKILL);
                escalation = 2;
            }
        }
        if (opts.on_tick && now - last_tick >= std::chrono::seconds(1)) {
            last_tick = now;
            opts.on_tick();
        }
    }
    ::close(fds[0]);
    if (!child_done) status = sys::reap(pid);
    // After a Ctrl-C, whatever is left of the step's group (background jobs ignore SIGINT
    // in non-interactive shells) is ended too; ESRCH when nothing is left is fine.
    if (g_signal != 0) ::kill(-pid, SIGTERM);
    g_child_pgid.store(0);
    return finish_status(status, r);
}

ProcessResult ProcessRunner::capture(std::vector<std::string> const& argv, std::filesystem::path const& cwd,
                                     Environment const& env, std::string& output) const {
    RunOptions o;
    o.on_output = [&output](std::string_view chunk) { output.append(chunk); };
    return run(argv, cwd, env, o);
}

namespace {

// A descriptor of ours moved to 10 or above (close-on-exec): the child's 3 and 4 can then be
// made with dup2 without overwriting one pipe end with another.
int above_ten(int fd) {
    if (fd < 0 || fd >= 10) return fd;
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return moved;
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// Waits up to `within` for the exit notice to turn readable (the child stays unreaped).
bool exits_within(int notice, std::chrono::milliseconds within) {
    auto const deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{notice, POLLIN, 0};
        int n = ::poll(&p, 1, int(std::max<long long>(0, left.count())));
        if (n > 0) return true;
        if (n == 0) return false;
        if (errno != EINTR) return false;
    }
}

}  // namespace

PipedChild spawn_piped(std::vector<std::string> const& argv, Environment const& env,
                       std::filesystem::path const& log_file) {
    PipedChild c;
    if (argv.empty()) {
        c.error = "empty command";
        return c;
    }
    auto program = resolve_program(argv[0], env);
    if (program.empty()) {
        c.error = argv[0] + ": not found on PATH";
        return c;
    }
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    int err = sys::open_pipe(in);
    if (err == 0) err = sys::open_pipe(out);
    if (err != 0) {
        c.error = std::string("pipe: ") + std::strerror(err);
        for (int fd : {in[0], in[1], out[0], out[1]})
            if (fd >= 0) ::close(fd);
        return c;
    }
    for (int* fd : {&in[0], &in[1], &out[0], &out[1]}) *fd = above_ten(*fd);
    auto parts = make_parts(argv, env);
    using F = sys::ChildFd;
    sys::SpawnRequest req;
    req.program = program;
    req.argv = parts.argv.data();
    req.envp = parts.envp.data();
    req.fds = {F::null_input(0), F::appending(1, log_file.string()), F::copy_of(2, 1), F::copy_of(3, in[0]),
               F::copy_of(4, out[1])};
    // The server's sockets and anything else of ours stay out of the browser.
    req.close_from = 5;
    req.default_signals = {SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD};
    req.empty_signal_mask = true;
    // Its own group: a terminal's Ctrl-C reaches wasmdev only, which then ends the whole group.
    req.own_process_group = true;
    pid_t pid = 0;
    int rc = sys::spawn(req, pid);
    ::close(in[0]);
    ::close(out[1]);
    if (rc != 0) {
        ::close(in[1]);
        ::close(out[0]);
        c.error = "cannot run " + program + ": " + std::strerror(rc);
        return c;
    }
    c.pid = pid;
    c.to_child = in[1];
    c.from_child = out[0];
    c.exit_notice = sys::open_exit_notice(pid);
    return c;
}

ProcessResult end_piped(PipedChild& child, std::chrono::milliseconds grace) {
    ProcessResult r;
    if (child.pid <= 0) return r;
    close_fd(child.to_child);  // end of input: a browser on a DevTools pipe closes itself
    // A zero grace wants nothing of a graceful exit: straight to SIGKILL.
    bool exited = grace.count() > 0 && child.exit_notice >= 0 && exits_within(child.exit_notice, grace);
    if (!exited && grace.count() > 0) {
        ::kill(-child.pid, SIGTERM);
        exited = child.exit_notice >= 0 && exits_within(child.exit_notice, std::chrono::seconds(2));
    }
    // The child is a zombie now or still running: either way its id still names the group, so
    // this reaches only what it started (renderers, zygotes, crash handlers that outlived it).
    ::kill(-child.pid, SIGKILL);
    int const status = sys::reap(child.pid);
    // Killed members that were reparented are ours to reap after sys::adopt_orphans(), else
    // init's; wait (bounded) until the group is empty, so that no process of it is left when
    // the caller reports the run's end.
    sys::reap_group(child.pid, std::chrono::seconds(2));
    close_fd(child.from_child);
    close_fd(child.exit_notice);
    child.pid = 0;
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.term_signal = WTERMSIG(status);
        r.exit_code = 128 + r.term_signal;
    }
    return r;
}

int ProcessRunner::spawn_detached(std::vector<std::string> const& argv) {
    if (argv.empty()) return 0;
    auto env = current_environment();
    auto program = resolve_program(argv[0], env);
    if (program.empty()) return 0;
    auto parts = make_parts(argv, env);
    using F = sys::ChildFd;
    sys::SpawnRequest req;
    req.program = program;
    req.argv = parts.argv.data();
    req.envp = parts.envp.data();
    req.fds = {F::null_input(0), F::null_output(1)};
    req.own_process_group = true;
    pid_t pid = 0;
    if (sys::spawn(req, pid) != 0) return 0;
    // Reap it when it ends: a browser launcher exits soon, a long-lived one is waited for
    // in the background. This pid only, so other children are not disturbed.
    std::thread([pid] { sys::reap(pid); }).detach();
    return pid;
}

}  // namespace wasmdev::cpython
