// --timeout (the whole run) and --silence-timeout (no console output for that long): which has
// expired, and how long the event loop may sleep before one could. Seconds; 0 means no limit.
// Pure: the caller passes the time elapsed since the start and since the last output.
#pragma once

namespace wasmdev::run {

struct Limits {
    double total_s = 0;
    double silence_s = 0;
};

enum class Expired { none, total, silence };

Expired expired(Limits const& l, double elapsed_s, double quiet_s);

// Milliseconds until the nearer limit expires (rounded up, at least 0), -1 with no limit.
int wait_ms(Limits const& l, double elapsed_s, double quiet_s);

}  // namespace wasmdev::run
