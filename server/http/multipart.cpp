#include "server/http/multipart.hpp"

#include <fmt/format.h>

namespace wasmdev::http {

std::string make_boundary(std::uint64_t seed) {
    // splitmix64: cheap and well mixed; the boundary only has to be absent from the parts.
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return fmt::format("wasmdev-{:016x}", z);
}

std::vector<BodyPart> multipart_parts(std::vector<ByteRange> const& ranges, std::uint64_t size,
                                      std::string_view content_type, std::string_view boundary) {
    std::vector<BodyPart> parts;
    parts.reserve(2 * ranges.size() + 1);
    // Each delimiter starts with the CRLF that ends the previous part (RFC 2046 §5.1.1); the
    // first one's CRLF is an empty preamble, which parsers skip.
    std::string const type_line =
        content_type.empty() ? std::string() : fmt::format("Content-Type: {}\r\n", content_type);
    for (auto const& r : ranges) {
        parts.push_back(
            {fmt::format("\r\n--{}\r\n{}Content-Range: {}\r\n\r\n", boundary, type_line, content_range(r, size)), 0, 0,
             false});
        parts.push_back({{}, r.first, r.length(), true});
    }
    parts.push_back({fmt::format("\r\n--{}--\r\n", boundary), 0, 0, false});
    return parts;
}

std::uint64_t total_length(std::vector<BodyPart> const& parts) {
    std::uint64_t n = 0;
    for (auto const& p : parts) n += p.from_file ? p.length : p.literal.size();
    return n;
}

}  // namespace wasmdev::http
