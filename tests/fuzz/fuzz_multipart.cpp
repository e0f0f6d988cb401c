// multipart/byteranges (server/http/multipart.cpp) for the ranges any Range header yields: the
// parts are framing then exactly those file ranges in order, the closing delimiter ends the
// body, and total_length is the body's exact size.
#include <cstdint>
#include <string>

#include "server/http/multipart.hpp"
#include "server/http/range.hpp"
#include "tests/fuzz/check.hpp"

using namespace wasmdev;
using fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    if (size < 3) return 0;
    std::uint64_t const rep = data[0] * std::uint64_t(data[1] + 1) * (data[2] % 3 == 0 ? 1000003 : 1);
    std::string_view const in(reinterpret_cast<char const*>(data + 3), size - 3);
    auto const ranges = http::parse_range(in, rep);
    if (ranges.kind != http::RangeKind::satisfiable) return 0;
    auto const boundary = http::make_boundary(size);
    check(boundary.size() == 24 && boundary.starts_with("wasmdev-"), "a boundary is wasmdev- and 16 hex digits", in);
    for (std::string_view type : {"application/wasm", ""}) {
        auto const parts = http::multipart_parts(ranges.ranges, rep, type, boundary);
        std::uint64_t sum = 0;
        std::size_t next = 0;
        for (auto const& p : parts) {
            sum += p.from_file ? p.length : p.literal.size();
            if (!p.from_file) {
                check(p.literal.find("\r\n--" + boundary) != std::string::npos, "each literal holds a delimiter", in);
                check(type.empty() == (p.literal.find("Content-Type") == std::string::npos) ||
                          p.literal.ends_with("--\r\n"),
                      "Content-Type is there exactly when there is a type", in);
                continue;
            }
            check(next < ranges.ranges.size(), "no more file parts than ranges", in);
            auto const r = ranges.ranges[next++];
            check(p.offset == r.first && p.length == r.length(), "file parts are the ranges in order", in);
        }
        check(next == ranges.ranges.size(), "every range is sent", in);
        check(!parts.empty() && parts.back().literal == "\r\n--" + boundary + "--\r\n", "the closing delimiter ends it",
              in);
        check(http::total_length(parts) == sum, "total_length is the body's size", in);
    }
    return 0;
}
