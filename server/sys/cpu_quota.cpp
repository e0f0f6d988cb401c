// The pure part of usable_cpus: the affinity count capped by a cgroup cpu.max quota. Shared
// by every platform's cpus_*.cpp (and the unit tests).
#include <algorithm>
#include <charconv>

#include "server/sys/cpus.hpp"

namespace wasmdev::sys {

unsigned usable_cpus(unsigned affinity_cpus, std::optional<std::string_view> cpu_max) {
    unsigned n = affinity_cpus > 0 ? affinity_cpus : 1;
    if (!cpu_max) return n;
    auto text = *cpu_max;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    auto const space = text.find(' ');
    if (space == std::string_view::npos) return n;
    auto const quota_text = text.substr(0, space), period_text = text.substr(space + 1);
    unsigned long long quota = 0, period = 0;
    auto const q = std::from_chars(quota_text.data(), quota_text.data() + quota_text.size(), quota);
    auto const p = std::from_chars(period_text.data(), period_text.data() + period_text.size(), period);
    if (q.ec != std::errc() || q.ptr != quota_text.data() + quota_text.size() || p.ec != std::errc() ||
        p.ptr != period_text.data() + period_text.size() || quota == 0 || period == 0)
        return n;  // "max" (no quota) or something we do not understand
    auto const by_quota = (quota + period - 1) / period;
    return unsigned(std::min<unsigned long long>(n, std::max<unsigned long long>(1, by_quota)));
}

}  // namespace wasmdev::sys
