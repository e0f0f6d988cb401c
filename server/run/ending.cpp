// The first ending wins, and its exit code (see ending.hpp).
#include "server/run/ending.hpp"

namespace wasmdev::run {

bool RunStatus::end(Ending why, int value) {
    if (ended() || why == Ending::running) return false;
    ending_ = why;
    value_ = value;
    return true;
}

int RunStatus::exit_code() const { return exit_code_for(ending_, value_); }

int exit_code_for(Ending why, int value) {
    switch (why) {
        case Ending::running: return 0;
        case Ending::exited: return int(unsigned(value) & 0xffu);
        case Ending::timed_out:
        case Ending::silent: return 124;  // timeout(1)'s code, which CI scripts already test for
        case Ending::interrupted: return 128 + value;
        case Ending::uncaught:
        case Ending::browser_died:
        case Ending::crashed:
        case Ending::closed: return 1;
    }
    return 1;
}

}  // namespace wasmdev::run
