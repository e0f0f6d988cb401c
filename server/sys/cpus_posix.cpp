// Other POSIX systems: the CPUs online (sysconf), or on FreeBSD the CPUs of this process's
// cpuset (its affinity). No cgroup quota exists there; a jail's CPU limit is its cpuset.
#include "server/sys/cpus.hpp"

#include <unistd.h>

#if defined(__FreeBSD__)
#include <sys/cpuset.h>
#include <sys/param.h>
#endif

#include <thread>

namespace wasmdev::sys {

unsigned usable_cpus() {
#if defined(__FreeBSD__)
    cpuset_t set;
    CPU_ZERO(&set);
    if (::cpuset_getaffinity(CPU_LEVEL_WHICH, CPU_WHICH_PID, -1, sizeof set, &set) == 0)
        return usable_cpus(unsigned(CPU_COUNT(&set)), std::nullopt);
#endif
    long const online = ::sysconf(_SC_NPROCESSORS_ONLN);
    return usable_cpus(online > 0 ? unsigned(online) : std::thread::hardware_concurrency(), std::nullopt);
}

}  // namespace wasmdev::sys
