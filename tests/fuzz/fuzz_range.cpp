// parse_range (server/http/range.cpp) on any Range value and size: satisfiable ranges lie
// inside the representation, are disjoint and non-adjacent, never more than the cap, and
// Content-Range says exactly them.
#include <cstdint>
#include <cstring>
#include <string>

#include "server/http/range.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size < 2) return 0;
    // Two bytes pick the size: small ones (0, 1, edges) often, any 64-bit value sometimes.
    std::uint64_t rep = data[0] < 200 ? data[0] * std::uint64_t(data[1] + 1) : ~std::uint64_t(0) >> (data[1] % 64);
    std::string_view const in(reinterpret_cast<char const*>(data + 2), size - 2);
    auto const r = http::parse_range(in, rep);
    if (r.kind != http::RangeKind::satisfiable) {
        check(r.ranges.empty(), "only a satisfiable set has ranges", in);
        if (rep == 0) check(r.kind != http::RangeKind::satisfiable, "nothing of an empty body is satisfiable", in);
        return 0;
    }
    check(!r.ranges.empty() && r.ranges.size() <= http::default_max_ranges, "1 to 16 ranges", in);
    for (std::size_t i = 0; i < r.ranges.size(); ++i) {
        auto const a = r.ranges[i];
        check(a.first <= a.last && a.last < rep, "a range lies inside the representation", in);
        for (std::size_t j = i + 1; j < r.ranges.size(); ++j) {
            auto const b = r.ranges[j];
            check(a.last + 1 < b.first || b.last + 1 < a.first, "ranges are disjoint and not adjacent", in);
        }
        auto const cr = http::content_range(a, rep);
        check(cr == "bytes " + std::to_string(a.first) + "-" + std::to_string(a.last) + "/" + std::to_string(rep),
              "Content-Range names the range", in);
    }
    return 0;
}
