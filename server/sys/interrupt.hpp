// Ctrl-C and SIGTERM for the length of one job (a build step, a browser run): a handler of the
// job's own, and the previous handlers back when it ends, so `repl` and `run` inside a server
// leave the server's own handling as it was. POSIX sigaction, the same on every OS.
#pragma once
#include <signal.h>

namespace wasmdev::sys {

class InterruptHandlers {
public:
    // handler must be async-signal-safe. No SA_RESTART: a blocking poll() returns EINTR, so the
    // loop around it sees the signal at once.
    explicit InterruptHandlers(void (*handler)(int));
    ~InterruptHandlers();
    InterruptHandlers(InterruptHandlers const&) = delete;
    InterruptHandlers& operator=(InterruptHandlers const&) = delete;

private:
    struct sigaction old_int_ {};
    struct sigaction old_term_ {};
};

}  // namespace wasmdev::sys
