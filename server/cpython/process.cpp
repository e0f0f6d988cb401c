// sys::spawn with a process group per build step; output through a pipe read with poll()
// beside the step's exit notice, so its end is an event and the status line can tick;
// SIGINT/SIGTERM forwarded to the step's group (sys::signal_group), escalated to SIGTERM and
// SIGKILL if it lingers. Piped children (run's browser) get fds 3 and 4 as pipes
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

#include "server/sys/interrupt.hpp"
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
    if (pg > 0) sys::signal_group(pg, sig);  // kill() alone: async-signal-safe
}

// The forwarding handlers for the lifetime of one run, the previous ones restored after it
// (the server installs its own for `repl`).
class SignalScope {
public:
    SignalScope() { g_signal = 0; }

private:
    sys::InterruptHandlers handlers_{forward_signal};
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

// How a wait status ended: its exit code, or 128+N and the signal N that killed it.
ProcessResult exit_status(int status) {
    ProcessResult r;
    if (WIFEXITED(status)) {
        r.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        r.term_signal = WTERMSIG(status);
        r.exit_code = 128 + r.term_signal;
    }
    return r;
}

ProcessResult finish_status(int status) {
    auto r = exit_status(status);
    r.interrupted = g_signal != 0;
    return r;
}

ProcessResult spawn_failure(std::string error) {
    ProcessResult r;
    r.spawn_failed = true;
    r.exit_code = 127;
    r.error = std::move(error);
    return r;
}

std::string cannot_run(std::vector<std::string> const& argv, std::filesystem::path const& cwd, int err) {
    return "cannot run " + argv[0] + (cwd.empty() ? "" : " in " + cwd.string()) + ": " + std::strerror(err);
}

// What every step starts from. Children start with default dispositions: wasmdev ignores
// SIGPIPE for its server, and an inherited SIG_IGN would change how make's pipelines end.
sys::SpawnRequest step_request(std::string const& program, SpawnParts& parts, std::filesystem::path const& cwd) {
    sys::SpawnRequest req;
    req.program = program;
    req.argv = parts.argv.data();
    req.envp = parts.envp.data();
    req.cwd = cwd.string();
    req.default_signals = {SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP, SIGCHLD, SIGTTIN, SIGTTOU};
    req.empty_signal_mask = true;
    return req;
}

// A REPL on the user's terminal, in wasmdev's process group: the terminal's Ctrl-C reaches the
// child directly, and wasmdev only waits for its end.
ProcessResult run_on_terminal(std::string const& program, std::vector<std::string> const& argv,
                              std::filesystem::path const& cwd, Environment const& env) {
    auto parts = make_parts(argv, env);
    auto const req = step_request(program, parts, cwd);
    pid_t pid = 0;
    if (int const rc = sys::spawn(req, pid); rc != 0) return spawn_failure(cannot_run(argv, cwd, rc));
    return finish_status(sys::reap(pid));
}

// A build step running in a process group of its own (named by its pid).
struct Step {
    pid_t pid = 0;         // 0 when it could not start
    int output = -1;       // our end of the pipe its stdout and stderr share
    int exit_notice = -1;  // readable once it has exited; -1 where the OS offers none
    std::string error{};   // why it could not start
};

// Starts a step with stdin from /dev/null and its merged output on a pipe, in its own process
// group: a terminal's Ctrl-C reaches wasmdev, which forwards it, so the child never races us
// for the terminal and we always know to report the stop.
Step start_in_own_group(std::string const& program, std::vector<std::string> const& argv,
                        std::filesystem::path const& cwd, Environment const& env) {
    Step step;
    int fds[2] = {-1, -1};
    if (int const err = sys::open_pipe(fds); err != 0) {
        step.error = std::string("pipe: ") + std::strerror(err);
        return step;
    }
    auto parts = make_parts(argv, env);
    auto req = step_request(program, parts, cwd);
    using F = sys::ChildFd;
    req.fds = {F::null_input(0), F::copy_of(1, fds[1]), F::copy_of(2, fds[1])};
    req.own_process_group = true;
    pid_t pid = 0;
    int const rc = sys::spawn(req, pid);
    ::close(fds[1]);
    if (rc != 0) {
        ::close(fds[0]);
        step.error = cannot_run(argv, cwd, rc);
        return step;
    }
    step.pid = pid;
    step.output = fds[0];
    step.exit_notice = sys::open_exit_notice(pid);
    return step;
}

// From here on forward_signal sends SIGINT and SIGTERM to the step's whole group; one that
// arrived between the spawn and now is sent on at once.
void forward_signals_to(pid_t pgid) {
    g_child_pgid.store(pgid);
    if (g_signal != 0) sys::signal_group(pgid, g_signal);
}

using Clock = std::chrono::steady_clock;

// A step that ignores a forwarded Ctrl-C gets SIGTERM 5 s after it and SIGKILL after 10 s.
class Escalation {
public:
    void escalate_if_due(pid_t pgid, Clock::time_point now) {
        if (g_signal == 0) return;
        if (!since_) since_ = now;
        auto const waited = now - *since_;
        if (sent_ == 0 && waited > std::chrono::seconds(5)) {
            sys::signal_group(pgid, SIGTERM);
            sent_ = SIGTERM;
        } else if (sent_ == SIGTERM && waited > std::chrono::seconds(10)) {
            sys::signal_group(pgid, SIGKILL);
            sent_ = SIGKILL;
        }
    }

private:
    std::optional<Clock::time_point> since_{};
    int sent_ = 0;
};

// Waits up to 200 ms (ticks and the escalation need the loop to turn) for output while the
// pipe is open, or for the step's end while it runs: true when the pipe has data or closed.
bool wait_for_output_or_end(Step const& step, bool pipe_open, bool ended) {
    pollfd p[2] = {{pipe_open ? step.output : -1, POLLIN, 0}, {ended ? -1 : step.exit_notice, POLLIN, 0}};
    return ::poll(p, 2, 200) > 0 && p[0].revents != 0;
}

// Hands what the pipe holds to on_output: false once the pipe is closed (or broken).
bool pass_output_on(int fd, RunOptions const& opts) {
    char buf[16384];
    auto const got = ::read(fd, buf, sizeof buf);
    if (got > 0) {
        if (opts.on_output) opts.on_output(std::string_view(buf, std::size_t(got)));
        return true;
    }
    return got < 0 && (errno == EINTR || errno == EAGAIN);
}

// Streams the step's output and reaps the step as soon as it ends: until both happened, or
// for at most 500 ms of output after its end (grandchildren may hold the pipe open). Meanwhile
// escalates a Ctrl-C the step ignores and ticks about once a second. Returns the wait status.
int stream_until_reaped(Step const& step, RunOptions const& opts) {
    Escalation escalation;
    auto last_tick = Clock::now();
    std::optional<int> status;
    std::optional<Clock::time_point> drain_deadline;
    bool pipe_open = true;
    while (pipe_open || !status) {
        if (wait_for_output_or_end(step, pipe_open, status.has_value())) pipe_open = pass_output_on(step.output, opts);
        auto const now = Clock::now();
        if (int s = 0; !status && sys::reap_if_exited(step.pid, s)) {
            status = s;
            drain_deadline = now + std::chrono::milliseconds(500);
        }
        if (drain_deadline && now > *drain_deadline) break;
        if (!status) escalation.escalate_if_due(step.pid, now);
        if (opts.on_tick && now - last_tick >= std::chrono::seconds(1)) {
            last_tick = now;
            opts.on_tick();
        }
    }
    return *status;
}

// After a Ctrl-C, whatever is left of the step's group (background jobs ignore SIGINT in
// non-interactive shells) is ended too; ESRCH when nothing is left is fine.
ProcessResult collect_status(Step& step, int status) {
    ::close(step.output);
    if (step.exit_notice >= 0) ::close(step.exit_notice);
    if (g_signal != 0) sys::signal_group(step.pid, SIGTERM);
    g_child_pgid.store(0);
    return finish_status(status);
}

}  // namespace

bool interrupt_requested() { return g_ever_interrupted.load(); }

// run(): resolve → install forwarding → spawn in its own group → stream and forward → collect.
ProcessResult ProcessRunner::run(std::vector<std::string> const& argv, std::filesystem::path const& cwd,
                                 Environment const& env, RunOptions const& opts) const {
    if (argv.empty()) return spawn_failure("empty command");
    auto const program = resolve_program(argv[0], env);
    if (program.empty()) return spawn_failure(argv[0] + ": command not found on PATH");
    SignalScope signals;
    if (opts.interactive) return run_on_terminal(program, argv, cwd, env);
    auto step = start_in_own_group(program, argv, cwd, env);
    if (step.pid == 0) return spawn_failure(step.error);
    forward_signals_to(step.pid);
    int const status = stream_until_reaped(step, opts);
    return collect_status(step, status);
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
    if (child.pid <= 0) return {};
    close_fd(child.to_child);  // end of input: a browser on a DevTools pipe closes itself
    // A zero grace wants nothing of a graceful exit: straight to SIGKILL.
    bool exited = grace.count() > 0 && child.exit_notice >= 0 && exits_within(child.exit_notice, grace);
    if (!exited && grace.count() > 0) {
        sys::signal_group(child.pid, SIGTERM);
        exited = child.exit_notice >= 0 && exits_within(child.exit_notice, std::chrono::seconds(2));
    }
    // The child is a zombie now or still running: either way its id still names the group, so
    // this reaches only what it started (renderers, zygotes, crash handlers that outlived it).
    sys::signal_group(child.pid, SIGKILL);
    int const status = sys::reap(child.pid);
    // Killed members that were reparented are ours to reap after sys::adopt_orphans(), else
    // init's; wait (bounded) until the group is empty, so that no process of it is left when
    // the caller reports the run's end.
    sys::reap_group(child.pid, std::chrono::seconds(2));
    close_fd(child.from_child);
    close_fd(child.exit_notice);
    child.pid = 0;
    return exit_status(status);
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
