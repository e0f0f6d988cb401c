// --timeout (the whole run) and --silence-timeout (no console output for that long): which has
// expired, how long the event loop may sleep before one could, and the line that says so.
// Seconds; 0 means no limit. Pure: the caller passes the time elapsed since the start and since
// the last output.
#pragma once
#include <string>

namespace wasmdev::run {

// A CI job whose page never exits must not hang until the CI's own limit (often hours): ten
// minutes is far above a test program's run and short enough to notice. --timeout 0 lifts it.
inline constexpr double default_timeout_s = 600;

struct Limits {
    double total_s = default_timeout_s;
    double silence_s = 0;
};

enum class Expired { none, total, silence };

Expired expired(Limits const& l, double elapsed_s, double quiet_s);

// Milliseconds until the nearer limit expires (rounded up, at least 0), -1 with no limit.
int wait_ms(Limits const& l, double elapsed_s, double quiet_s);

// The one line (without "wasmdev: run: ") printed when a limit ends the run; empty for none.
std::string expiry_message(Expired e, Limits const& l);

}  // namespace wasmdev::run
