// text::fnv1a against the published FNV-1a 64-bit test vectors.
#include <doctest/doctest.h>

#include "server/text/fnv1a.hpp"

TEST_CASE("fnv1a: the published 64-bit vectors") {
    CHECK(wasmdev::text::fnv1a("") == 0xcbf29ce484222325ull);
    CHECK(wasmdev::text::fnv1a("a") == 0xaf63dc4c8601ec8cull);
    CHECK(wasmdev::text::fnv1a("foobar") == 0x85944171f73967e8ull);
}
