// The one place wasmdev starts processes, build steps and --open's URL opener alike
// (docs/design.md#processes): sys::spawn from an argv
// vector, never a shell string, and every child is reaped. Build steps run in their own process group with stdin from /dev/null and their
// merged output streamed to a callback; Ctrl-C and SIGTERM are forwarded to that group.
// `run`'s browser is a piped child (spawn_piped): its own group, fds 3 and 4 as pipes, its
// output to a log file; the caller drives it and ends it with end_piped.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/cpython/env.hpp"

namespace wasmdev::cpython {

struct ProcessResult {
    int exit_code = 0;         // the exit status; 128+N when killed by signal N
    int term_signal = 0;       // the signal that ended it, 0 when it exited
    bool interrupted = false;  // a SIGINT/SIGTERM reached wasmdev while it ran
    bool spawn_failed = false;
    std::string error{};  // why it could not start
    bool ok() const { return !spawn_failed && exit_code == 0; }
};

struct RunOptions {
    std::function<void(std::string_view)> on_output{};  // merged stdout and stderr, as it arrives
    std::function<void()> on_tick{};                    // about once a second while it runs
    // Runs on the user's terminal in wasmdev's process group (a REPL): no capture, and
    // Ctrl-C reaches the child from the terminal rather than by forwarding.
    bool interactive = false;
};

class ProcessRunner {
public:
    ProcessResult run(std::vector<std::string> const& argv, std::filesystem::path const& cwd, Environment const& env,
                      RunOptions const& opts = {}) const;
    // Runs to completion and returns its output too (for probes such as pkg-config).
    ProcessResult capture(std::vector<std::string> const& argv, std::filesystem::path const& cwd,
                          Environment const& env, std::string& output) const;
    // Starts a helper (the URL opener) without waiting for it: its pid, 0 when it could not start.
    // The runner reaps it when it ends (a background waiter), so no zombie is left.
    static int spawn_detached(std::vector<std::string> const& argv);
};

// A child started by spawn_piped: fd 3 is its input pipe, fd 4 its output pipe (Chromium's
// --remote-debugging-pipe), its stdout and stderr go to a log file, and it leads a process
// group of its own so that everything it starts can be ended at once.
struct PipedChild {
    int pid = 0;           // the child, and its process group id; 0 when it could not start
    int exit_notice = -1;  // readable once the child has exited (sys::open_exit_notice; poll it beside the pipes)
    int to_child = -1;     // our end of the child's fd 3
    int from_child = -1;   // our end of the child's fd 4
    std::string error{};   // why it could not start
};

// Starts argv[0] (a path, or a name looked up in env's PATH) with stdin from /dev/null and
// stdout and stderr appended to log_file. Every descriptor of ours is closed in the child.
PipedChild spawn_piped(std::vector<std::string> const& argv, Environment const& env,
                       std::filesystem::path const& log_file);

// Ends a piped child and everything in its process group: waits up to `grace` for it to
// exit by itself (the caller asked it to), then SIGTERM to the group, then SIGKILL (a zero
// grace: SIGKILL at once); the group
// is killed before the child is reaped, so its id cannot have been reused. Closes the pipes
// and the exit notice. Returns how the child itself ended.
ProcessResult end_piped(PipedChild& child, std::chrono::milliseconds grace);

// True once SIGINT or SIGTERM arrived while a child was being run.
bool interrupt_requested();

}  // namespace wasmdev::cpython
