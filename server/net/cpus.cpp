#include "server/net/cpus.hpp"

#include <sched.h>

#include <charconv>
#include <sstream>
#include <string>
#include <thread>

#include "server/fs/read_file.hpp"

namespace wasmdev::net {

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

namespace {
// cgroup and procfs values are one short line.
std::optional<std::string> read_text(std::string const& path) { return fs::read_file(path, 4096); }
}  // namespace

unsigned usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    unsigned affinity = ::sched_getaffinity(0, sizeof set, &set) == 0 ? unsigned(CPU_COUNT(&set))
                                                                       : std::thread::hardware_concurrency();
    // cgroup v2: "0::/some/path" names this process's group under /sys/fs/cgroup.
    std::optional<std::string> cpu_max;
    if (auto groups = read_text("/proc/self/cgroup")) {
        auto const at = groups->find("0::");
        if (at != std::string::npos) {
            auto path = groups->substr(at + 3, groups->find('\n', at) - at - 3);
            cpu_max = read_text("/sys/fs/cgroup" + (path == "/" ? std::string() : path) + "/cpu.max");
        }
    }
    if (!cpu_max) cpu_max = read_text("/sys/fs/cgroup/cpu.max");
    return usable_cpus(affinity, cpu_max ? std::optional<std::string_view>(*cpu_max) : std::nullopt);
}

}  // namespace wasmdev::net
