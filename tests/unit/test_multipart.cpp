#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "server/http/multipart.hpp"

using namespace wasmdev::http;

namespace {

// The body the parts describe, with each file range filled from `file`: what a client receives.
std::string assemble(std::vector<BodyPart> const& parts, std::string const& file) {
    std::string out;
    for (auto const& p : parts) out += p.from_file ? file.substr(p.offset, p.length) : p.literal;
    return out;
}

}  // namespace

TEST_CASE("multipart_parts: framing strings and file ranges have exact bytes") {
    std::string const file = "0123456789";
    struct Row {
        std::vector<ByteRange> ranges;
        std::string_view type;
        std::string_view boundary;
        std::string expected;
    };
    Row const rows[] = {
        {{{0, 1}, {5, 9}},
         "application/wasm",
         "B",
         "\r\n--B\r\nContent-Type: application/wasm\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
         "\r\n--B\r\nContent-Type: application/wasm\r\nContent-Range: bytes 5-9/10\r\n\r\n56789"
         "\r\n--B--\r\n"},
        {{{7, 7}, {0, 0}},
         "text/plain; charset=utf-8",
         "wasmdev-0123456789abcdef",
         "\r\n--wasmdev-0123456789abcdef\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes "
         "7-7/10\r\n\r\n7"
         "\r\n--wasmdev-0123456789abcdef\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes "
         "0-0/10\r\n\r\n0"
         "\r\n--wasmdev-0123456789abcdef--\r\n"},
        {{{0, 9}},
         "",
         "B",  // no type: no Content-Type line
         "\r\n--B\r\nContent-Range: bytes 0-9/10\r\n\r\n0123456789\r\n--B--\r\n"},
        {{}, "application/wasm", "B", "\r\n--B--\r\n"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.type);
        CAPTURE(row.ranges.size());
        auto const parts = multipart_parts(row.ranges, file.size(), row.type, row.boundary);
        REQUIRE(parts.size() == 2 * row.ranges.size() + 1);
        for (std::size_t i = 0; i < row.ranges.size(); ++i) {
            CAPTURE(i);
            CHECK_FALSE(parts[2 * i].from_file);
            CHECK(parts[2 * i + 1].from_file);
            CHECK(parts[2 * i + 1].literal.empty());
            CHECK(parts[2 * i + 1].offset == row.ranges[i].first);
            CHECK(parts[2 * i + 1].length == row.ranges[i].length());
        }
        CHECK_FALSE(parts.back().from_file);
        CHECK(assemble(parts, file) == row.expected);
        CHECK(total_length(parts) == row.expected.size());
    }
}

TEST_CASE("total_length: counts file ranges by length without reading them") {
    constexpr std::uint64_t size = 1ull << 40;  // a terabyte: lengths are 64-bit
    auto const parts =
        multipart_parts({{0, size / 2 - 1}, {size - 10, size - 1}}, size, "application/octet-stream", "B");
    std::uint64_t framing = 0;
    for (auto const& p : parts)
        if (!p.from_file) framing += p.literal.size();
    CHECK(parts[1].length == size / 2);
    CHECK(parts[3].length == 10);
    CHECK(total_length(parts) == framing + size / 2 + 10);
    CHECK(parts[2].literal ==
          "\r\n--B\r\nContent-Type: application/octet-stream\r\n"
          "Content-Range: bytes 1099511627766-1099511627775/1099511627776\r\n\r\n");
    CHECK(total_length({}) == 0);
}

TEST_CASE("make_boundary: reproducible per seed - distinct across seeds - valid RFC 2046 characters") {
    struct Row {
        std::uint64_t seed;
    };
    Row const rows[] = {{0}, {1}, {42}, {43}, {UINT64_MAX}, {0x8000000000000000ull}};
    std::set<std::string> seen;
    for (auto const& row : rows) {
        CAPTURE(row.seed);
        auto const b = make_boundary(row.seed);
        CHECK(b == make_boundary(row.seed));
        CHECK(b.size() == 24);
        CHECK(b.starts_with("wasmdev-"));
        CHECK(b.find_first_not_of("wasmdev-0123456789abcdef") == std::string::npos);
        seen.insert(b);
    }
    CHECK(seen.size() == std::size(rows));
    CHECK(make_boundary(0) == "wasmdev-e220a8397b1dcdaf");  // splitmix64(0), pinned so a change is deliberate
}
