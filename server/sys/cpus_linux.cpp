// Linux: the affinity mask and the cgroup v2 CPU quota (cpu.max) of this process's group.
#include "server/sys/cpus.hpp"

#include <sched.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>

namespace wasmdev::sys {

namespace {
std::optional<std::string> read_text(std::string const& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

unsigned usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    unsigned affinity =
        ::sched_getaffinity(0, sizeof set, &set) == 0 ? unsigned(CPU_COUNT(&set)) : std::thread::hardware_concurrency();
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

}  // namespace wasmdev::sys
