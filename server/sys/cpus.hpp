// How many CPUs this process may use (docs/design.md#threads): the CPUs its affinity mask allows, capped by a
// cgroup v2 CPU quota (cpu.max, as a container's --cpus sets it), at least 1. The serving and
// compression thread counts and `build -j` follow it, not the host's core count. The count is
// the OS's business (cpus_linux.cpp, cpus_posix.cpp); the quota arithmetic is pure (cpu_quota.cpp).
#pragma once
#include <optional>
#include <string_view>

namespace wasmdev::sys {

// Pure: the count from the affinity mask's CPU count and the text of cpu.max ("max 100000",
// "150000 100000"; nullopt or malformed: no quota). A quota rounds up: 1.5 CPUs is 2 threads.
unsigned usable_cpus(unsigned affinity_cpus, std::optional<std::string_view> cpu_max);

// The same for this process. Linux: sched_getaffinity(2) and its cgroup's cpu.max. Elsewhere:
// the CPUs online (FreeBSD: its cpuset), no quota.
unsigned usable_cpus();

}  // namespace wasmdev::sys
