#include <doctest/doctest.h>

#include "server/sys/cpus.hpp"

using wasmdev::sys::usable_cpus;

TEST_CASE("usable_cpus: the affinity mask capped by a cgroup quota, rounded up, at least one") {
    struct Row {
        unsigned affinity;
        std::optional<std::string_view> cpu_max;
        unsigned expected;
    };
    Row const rows[] = {
        {8, std::nullopt, 8},       // no cgroup file
        {8, "max 100000\n", 8},     // no quota
        {8, "200000 100000\n", 2},  // docker --cpus 2
        {8, "150000 100000\n", 2},  // 1.5 CPUs: two threads
        {8, "50000 100000", 1},     // half a CPU: still one
        {2, "800000 100000\n", 2},  // the mask is smaller than the quota
        {0, std::nullopt, 1},       // never zero threads
        {4, "garbage", 4},         {4, "100000", 4}, {4, "0 100000", 4}, {4, "100000 0", 4}, {4, "-1 100000", 4},
    };
    for (auto const& row : rows) {
        CAPTURE(row.affinity);
        CAPTURE(row.cpu_max.value_or("(none)"));
        CHECK(usable_cpus(row.affinity, row.cpu_max) == row.expected);
    }
    CHECK(usable_cpus() >= 1);
}
