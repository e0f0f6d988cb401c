// How many CPUs this process may use (docs/design.md#threads): the CPUs its affinity mask allows, capped by a
// cgroup v2 CPU quota (cpu.max, as a container's --cpus sets it), at least 1. The serving and
// compression thread counts follow it, not the host's core count.
#pragma once
#include <optional>
#include <string_view>

namespace wasmdev::net {

// Pure: the count from the affinity mask's CPU count and the text of cpu.max ("max 100000",
// "150000 100000"; nullopt or malformed: no quota). A quota rounds up: 1.5 CPUs is 2 threads.
unsigned usable_cpus(unsigned affinity_cpus, std::optional<std::string_view> cpu_max);

// The same for this process: sched_getaffinity(2) and its cgroup's cpu.max.
unsigned usable_cpus();

}  // namespace wasmdev::net
