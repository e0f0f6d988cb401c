// How a `wasmdev run` ends and the exit code each way gives: the program's own exit code
// (Emscripten's exit or main's return, emrun's ^exit^, wasmdevRun.exit), 1 for an uncaught
// exception or a browser that died, 124 for --timeout and --silence-timeout, 128+N for signal N.
// The first ending recorded wins: an exception thrown while the runtime unwinds after exit()
// does not turn exit(0) into 1. Pure; docs/run.md lists the sources.
#pragma once
#include <string>

namespace wasmdev::run {

enum class Ending {
    running,
    exited,        // the program gave its exit code
    uncaught,      // an uncaught exception or unhandled rejection in the page or a worker
    timed_out,     // --timeout
    silent,        // --silence-timeout
    interrupted,   // SIGINT or SIGTERM reached wasmdev (value: the signal)
    browser_died,  // the browser process ended, or its pipe closed, before the program did
    crashed,       // the page's renderer crashed
    closed,        // the page closed itself without an exit code
};

class RunStatus {
public:
    // Records why the run ends unless it has already ended; true when this call ended it.
    bool end(Ending why, int value = 0);
    bool ended() const { return ending_ != Ending::running; }
    Ending ending() const { return ending_; }
    int exit_code() const;

private:
    Ending ending_ = Ending::running;
    int value_ = 0;
};

// The exit code of an ending; an exit status keeps its low 8 bits, as a POSIX shell sees it.
int exit_code_for(Ending why, int value);

}  // namespace wasmdev::run
