// The two run limits (see limits.hpp).
#include "server/run/limits.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

namespace wasmdev::run {

Expired expired(Limits const& l, double elapsed_s, double quiet_s) {
    if (l.total_s > 0 && elapsed_s >= l.total_s) return Expired::total;
    if (l.silence_s > 0 && quiet_s >= l.silence_s) return Expired::silence;
    return Expired::none;
}

int wait_ms(Limits const& l, double elapsed_s, double quiet_s) {
    double left = -1;
    if (l.total_s > 0) left = l.total_s - elapsed_s;
    if (l.silence_s > 0) {
        double s = l.silence_s - quiet_s;
        left = left < 0 && l.total_s <= 0 ? s : std::min(left, s);
    }
    if (l.total_s <= 0 && l.silence_s <= 0) return -1;
    double ms = std::ceil(std::max(0.0, left) * 1000.0);
    return int(std::min(ms, 2147483647.0));
}

std::string expiry_message(Expired e, Limits const& l) {
    switch (e) {
        case Expired::total:
            return fmt::format("timed out after {} s (--timeout S; --timeout 0 for no limit)", l.total_s);
        case Expired::silence: return fmt::format("no output for {} s (--silence-timeout)", l.silence_s);
        case Expired::none: break;
    }
    return {};
}

}  // namespace wasmdev::run
