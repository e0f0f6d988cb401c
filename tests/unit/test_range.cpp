#include <doctest/doctest.h>

#include <string>

#include "server/http/multipart.hpp"
#include "server/http/range.hpp"

using namespace wasmdev::http;

TEST_CASE("parse_range: single - suffix and open-ended forms against a 1000-byte file") {
    struct Row { std::string_view header; RangeKind kind; std::uint64_t first, last; };
    Row const rows[] = {
        {"bytes=0-499", RangeKind::satisfiable, 0, 499},
        {"bytes=500-", RangeKind::satisfiable, 500, 999},
        {"bytes=-200", RangeKind::satisfiable, 800, 999},
        {"bytes=-2000", RangeKind::satisfiable, 0, 999},
        {"bytes=0-5000", RangeKind::satisfiable, 0, 999},
        {"bytes=999-999", RangeKind::satisfiable, 999, 999},
        {"BYTES=0-0", RangeKind::satisfiable, 0, 0},
        {" bytes = 0-1 ", RangeKind::satisfiable, 0, 1},
        {"bytes=1000-", RangeKind::unsatisfiable, 0, 0},
        {"bytes=1000-2000", RangeKind::unsatisfiable, 0, 0},
        {"bytes=-0", RangeKind::unsatisfiable, 0, 0},
        {"bytes=5-1", RangeKind::ignored, 0, 0},
        {"bytes=", RangeKind::ignored, 0, 0},
        {"bytes=abc", RangeKind::ignored, 0, 0},
        {"bytes=1-2-3", RangeKind::ignored, 0, 0},
        {"bytes=-", RangeKind::ignored, 0, 0},
        {"items=0-1", RangeKind::ignored, 0, 0},
        {"bytes 0-1", RangeKind::ignored, 0, 0},
        {"bytes=+1-2", RangeKind::ignored, 0, 0},
        {"bytes=0x10-20", RangeKind::ignored, 0, 0},
        {"bytes=99999999999999999999-", RangeKind::ignored, 0, 0},   // overflow
        {"bytes=0-99999999999999999999", RangeKind::ignored, 0, 0},
        {"bytes=18446744073709551615-", RangeKind::unsatisfiable, 0, 0},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header);
        auto r = parse_range(row.header, 1000);
        CHECK(r.kind == row.kind);
        if (r.kind == RangeKind::satisfiable) {
            REQUIRE(r.ranges.size() == 1);
            CHECK(r.ranges[0].first == row.first);
            CHECK(r.ranges[0].last == row.last);
        }
    }
}

TEST_CASE("parse_range: several ranges are sorted and coalesced  too many are ignored") {
    auto r = parse_range("bytes=500-599, 0-99, 50-149, 150-160, -10", 1000);
    REQUIRE(r.kind == RangeKind::satisfiable);
    REQUIRE(r.ranges.size() == 3);
    CHECK(r.ranges[0].first == 0);
    CHECK(r.ranges[0].last == 160);   // 0-99, 50-149 and the adjacent 150-160 merge
    CHECK(r.ranges[1].first == 500);
    CHECK(r.ranges[2].first == 990);

    auto overlap = parse_range("bytes=0-0,-1", 1);
    REQUIRE(overlap.kind == RangeKind::satisfiable);
    CHECK(overlap.ranges.size() == 1);

    std::string many = "bytes=0-999";
    for (int i = 0; i < 1000; ++i) many += ",0-999";
    CHECK(parse_range(many, 1000).kind == RangeKind::ignored);  // no amplification

    std::string sixteen = "bytes=0-0";
    for (int i = 1; i < 16; ++i) sixteen += "," + std::to_string(i * 10) + "-" + std::to_string(i * 10);
    CHECK(parse_range(sixteen, 1000).ranges.size() == 16);
    CHECK(parse_range(sixteen + ",500-501", 1000).kind == RangeKind::ignored);

    CHECK(parse_range("bytes=0-1, 2000-3000", 1000).ranges.size() == 1);  // unsatisfiable parts drop out
}

TEST_CASE("parse_range: any range of an empty file is unsatisfiable") {
    CHECK(parse_range("bytes=0-", 0).kind == RangeKind::unsatisfiable);
    CHECK(parse_range("bytes=-5", 0).kind == RangeKind::unsatisfiable);
}

TEST_CASE("content_range and multipart framing have exact bytes and length") {
    CHECK(content_range({0, 499}, 1234) == "bytes 0-499/1234");
    CHECK(unsatisfied_content_range(1234) == "bytes */1234");
    auto boundary = make_boundary(42);
    CHECK(boundary == make_boundary(42));
    CHECK(boundary != make_boundary(43));
    auto parts = multipart_parts({{0, 1}, {5, 9}}, 10, "application/wasm", "B");
    REQUIRE(parts.size() == 5);
    CHECK(parts[0].literal == "\r\n--B\r\nContent-Type: application/wasm\r\nContent-Range: bytes 0-1/10\r\n\r\n");
    CHECK((parts[1].from_file && parts[1].offset == 0 && parts[1].length == 2));
    CHECK((parts[3].from_file && parts[3].offset == 5 && parts[3].length == 5));
    CHECK(parts[4].literal == "\r\n--B--\r\n");
    CHECK(total_length(parts) == parts[0].literal.size() + 2 + parts[2].literal.size() + 5 + parts[4].literal.size());
}
