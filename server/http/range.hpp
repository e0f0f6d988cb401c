// Byte-range handling for GET requests (RFC 9110 §14).
// Parses one Range header value against a known representation size, coalesces
// overlapping ranges and caps their number so a request cannot amplify the response.
// Does not read files or build responses; the handler decides what to do with the result.
#pragma once
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
    std::vector<ByteRange> ranges{};  // satisfiable only: sorted, coalesced, non-empty
};

// More ranges than this in one request and the whole representation is sent instead.
inline constexpr std::size_t default_max_ranges = 16;

// `ignored` for syntax we don't accept (then a 200 with the whole body is right), a unit
// other than bytes, or more than max_ranges ranges; `unsatisfiable` when no range overlaps
// the representation (416).
RangeSet parse_range(std::string_view header_value, std::uint64_t size, std::size_t max_ranges = default_max_ranges);

// "bytes 0-499/1234" and "bytes */1234".
std::string content_range(ByteRange r, std::uint64_t size);
std::string unsatisfied_content_range(std::uint64_t size);

}  // namespace wasmdev::http
