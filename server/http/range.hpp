// Byte-range handling for GET requests (RFC 9110 §14).
// Parses one Range header value against a known representation size, coalesces
// overlapping ranges and caps their number so a request cannot amplify the response.
// Does not read files, evaluate If-Range (validators.hpp) or build responses; the handler does.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

enum class RangeKind { none, satisfiable, unsatisfiable, ignored };

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
    std::uint64_t length() const { return last - first + 1; }
};

struct RangeSet {
    RangeKind kind = RangeKind::none;
    std::vector<ByteRange> ranges{};  // satisfiable only: coalesced, disjoint, non-adjacent, in request order
};

// More range-specs than this in one request and the whole representation is sent instead.
inline constexpr std::size_t default_max_ranges = 16;

// `ignored` (serve 200 with the whole body) for syntax we don't accept, a unit other than
// bytes, numbers that overflow 64 bits, or more than max_ranges range-specs before
// coalescing; `unsatisfiable` (416) when no range overlaps the representation, which is
// every range of an empty one. Overlapping and adjacent ranges are merged; the merged ranges
// keep the order in which their earliest range-spec appeared.
RangeSet parse_range(std::string_view header_value, std::uint64_t size, std::size_t max_ranges = default_max_ranges);

// "bytes 0-499/1234" for a 206, and "bytes */1234" for a 416.
std::string content_range(ByteRange r, std::uint64_t size);
std::string unsatisfied_content_range(std::uint64_t size);

}  // namespace wasmdev::http
