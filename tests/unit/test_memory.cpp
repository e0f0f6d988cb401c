#include <doctest/doctest.h>

#include <cstdint>

#include "server/sys/memory.hpp"

using wasmdev::sys::FreeHeld;
using wasmdev::sys::GiveBackPolicy;

namespace {
constexpr std::uint64_t MiB = 1 << 20;
FreeHeld held(std::uint64_t bytes) { return {.bytes = bytes, .known = true}; }
}  // namespace

TEST_CASE("give back: due once a step more was freed than the least seen since the last give-back") {
    GiveBackPolicy p(MiB);
    CHECK_FALSE(p.due(held(0)));
    CHECK_FALSE(p.due(held(MiB - 1)));
    CHECK(p.due(held(MiB)));  // a burst freed a MiB
    // What a give-back leaves free (fragments, or pages already returned) is the new floor.
    p.gave_back(held(3 * MiB));
    CHECK_FALSE(p.due(held(3 * MiB)));
    CHECK_FALSE(p.due(held(4 * MiB - 1)));
    CHECK(p.due(held(4 * MiB)));
    p.gave_back(held(3 * MiB));
    // The free memory was taken again and freed again: its pages are back, so it is due again.
    CHECK_FALSE(p.due(held(MiB / 2)));
    CHECK(p.due(held(2 * MiB)));
}

TEST_CASE("give back: an allocator that cannot say is never asked") {
    GiveBackPolicy p(MiB);
    CHECK_FALSE(p.due(FreeHeld{}));
    CHECK_FALSE(p.due(FreeHeld{.bytes = 100 * MiB, .known = false}));
}
