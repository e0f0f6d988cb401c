// The one place wasmdev starts processes, build steps and --open's xdg-open alike (STYLE:
// "Run processes only through ProcessRunner::run(argv, cwd, env)"): posix_spawn from an argv
// vector, never a shell string, and every child is reaped. Build steps run in their own process group with stdin from /dev/null and their
// merged output streamed to a callback; Ctrl-C and SIGTERM are forwarded to that group.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/cpython/env.hpp"

namespace wasmdev::cpython {

struct ProcessResult {
    int exit_code = 0;        // the exit status; 128+N when killed by signal N
    int term_signal = 0;      // the signal that ended it, 0 when it exited
    bool interrupted = false; // a SIGINT/SIGTERM reached wasmdev while it ran
    bool spawn_failed = false;
    std::string error{};      // why it could not start
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
    // Starts a helper (xdg-open) without waiting for it: its pid, 0 when it could not start.
    // The runner reaps it when it ends (a background waiter), so no zombie is left.
    static int spawn_detached(std::vector<std::string> const& argv);
};

// True once SIGINT or SIGTERM arrived while a child was being run.
bool interrupt_requested();

}  // namespace wasmdev::cpython
