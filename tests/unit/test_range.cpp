#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "server/http/range.hpp"

using namespace wasmdev::http;

namespace {

// "0-160,500-599" for satisfiable sets, "" otherwise: one string to compare and to print.
std::string show(RangeSet const& r) {
    std::string out;
    for (auto const& b : r.ranges) {
        if (!out.empty()) out += ",";
        out += std::to_string(b.first) + "-" + std::to_string(b.last);
    }
    return out;
}

std::string repeated(std::string_view first, std::string_view each, int times) {
    std::string s(first);
    for (int i = 0; i < times; ++i) s += each;
    return s;
}

// "bytes=0-0,10-10,...": n disjoint one-byte ranges.
std::string disjoint(int n) {
    std::string s = "bytes=";
    for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(i * 10) + "-" + std::to_string(i * 10);
    return s;
}

}  // namespace

TEST_CASE("parse_range: single - suffix and open-ended forms against a 1000-byte file") {
    struct Row {
        std::string_view header;
        RangeKind kind;
        std::uint64_t first, last;
    };
    Row const rows[] = {
        {"bytes=0-499", RangeKind::satisfiable, 0, 499},
        {"bytes=500-", RangeKind::satisfiable, 500, 999},
        {"bytes=-200", RangeKind::satisfiable, 800, 999},
        {"bytes=-1000", RangeKind::satisfiable, 0, 999},
        {"bytes=-2000", RangeKind::satisfiable, 0, 999},
        {"bytes=0-5000", RangeKind::satisfiable, 0, 999},
        {"bytes=999-999", RangeKind::satisfiable, 999, 999},
        {"bytes=999-", RangeKind::satisfiable, 999, 999},
        {"bytes=-1", RangeKind::satisfiable, 999, 999},
        {"bytes=0-0", RangeKind::satisfiable, 0, 0},
        {"bytes=007-010", RangeKind::satisfiable, 7, 10},  // leading zeros are still 1*DIGIT
        {"BYTES=0-0", RangeKind::satisfiable, 0, 0},       // range units are case-insensitive
        {"Bytes=1-2", RangeKind::satisfiable, 1, 2},
        {" bytes=0-1 ", RangeKind::satisfiable, 0, 1},
        {"bytes=1000-", RangeKind::unsatisfiable, 0, 0},
        {"bytes=1000-1000", RangeKind::unsatisfiable, 0, 0},
        {"bytes=1000-2000", RangeKind::unsatisfiable, 0, 0},
        {"bytes=-0", RangeKind::unsatisfiable, 0, 0},
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
            CHECK(r.ranges[0].length() == row.last - row.first + 1);
        } else {
            CHECK(r.ranges.empty());
        }
    }
}

TEST_CASE("parse_range: invalid syntax - other units and overflow are ignored so the full body is sent") {
    std::string_view const rows[] = {
        "",
        "bytes",
        "bytes=",
        "bytes=,",
        "bytes= , ,",
        "bytes=-",
        "bytes=abc",
        "bytes=1",
        "bytes=1-2-3",
        "bytes=--5",
        "bytes=-5-10",
        "bytes=5-1",      // last-pos before first-pos
        "bytes=0-1,5-1",  // one invalid spec spoils the set
        "bytes=0-1,abc",
        "bytes=+1-2",
        "bytes=1-+2",
        "bytes=-+5",
        "bytes=0x10-20",
        "bytes=1e3-",
        "bytes=1.5-2",
        "bytes=0 - 1",  // no whitespace inside a range-spec
        "bytes = 0-1",  // nor around "="
        "bytes =0-1",
        "bytes= 0-1x",
        "bytes 0-1",
        "bytes:0-1",
        "=0-1",
        "items=0-1",
        "none",
        "bytes=0-1;q=1",
        "bytes=\xff-1",
        "bytes=99999999999999999999-",  // overflows 64 bits
        "bytes=0-99999999999999999999",
        "bytes=-99999999999999999999",
        "bytes=18446744073709551616-",  // 2^64
        "bytes=0-18446744073709551616",
    };
    for (auto const header : rows) {
        CAPTURE(header);
        auto r = parse_range(header, 1000);
        CHECK(r.kind == RangeKind::ignored);
        CHECK(r.ranges.empty());
    }
}

TEST_CASE("parse_range: several ranges are coalesced and kept in request order") {
    struct Row {
        std::string_view header;
        std::uint64_t size;
        RangeKind kind;
        std::string_view ranges;
    };
    Row const rows[] = {
        {"bytes=0-1,5-6", 1000, RangeKind::satisfiable, "0-1,5-6"},
        {"bytes=0-1, 5-6", 1000, RangeKind::satisfiable, "0-1,5-6"},
        {"bytes=0-1 ,\t5-6", 1000, RangeKind::satisfiable, "0-1,5-6"},
        {"bytes=,0-1,,5-6,", 1000, RangeKind::satisfiable, "0-1,5-6"},  // empty elements
        {"bytes=5-6,0-1", 1000, RangeKind::satisfiable, "5-6,0-1"},     // request order
        {"bytes=-10,0-9", 1000, RangeKind::satisfiable, "990-999,0-9"},
        {"bytes=0-9,10-19", 1000, RangeKind::satisfiable, "0-19"},  // adjacent
        {"bytes=0-9,11-19", 1000, RangeKind::satisfiable, "0-9,11-19"},
        {"bytes=0-9,5-14", 1000, RangeKind::satisfiable, "0-14"},  // overlapping
        {"bytes=0-9,50-59,5-14", 1000, RangeKind::satisfiable, "0-14,50-59"},
        {"bytes=50-59,5-14,0-9", 1000, RangeKind::satisfiable, "50-59,0-14"},
        {"bytes=500-599,0-99,50-149,150-160,-10", 1000, RangeKind::satisfiable, "500-599,0-160,990-999"},
        {"bytes=0-999,0-999", 1000, RangeKind::satisfiable, "0-999"},
        {"bytes=100-199,0-", 1000, RangeKind::satisfiable, "0-999"},
        {"bytes=900-,-50", 1000, RangeKind::satisfiable, "900-999"},
        {"bytes=0-1,2000-3000", 1000, RangeKind::satisfiable, "0-1"},  // unsatisfiable part drops
        {"bytes=2000-3000,-0,5-5", 1000, RangeKind::satisfiable, "5-5"},
        {"bytes=0-0,-1", 1, RangeKind::satisfiable, "0-0"},
        {"bytes=0-0,-1", 2, RangeKind::satisfiable, "0-1"},
        {"bytes=0-0,-1", 3, RangeKind::satisfiable, "0-0,2-2"},
        {"bytes=2000-3000,1000-", 1000, RangeKind::unsatisfiable, ""},
        {"bytes=0-1,5-1", 1000, RangeKind::ignored, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header);
        CAPTURE(row.size);
        auto r = parse_range(row.header, row.size);
        CHECK(r.kind == row.kind);
        CHECK(show(r) == row.ranges);
    }
}

TEST_CASE("parse_range: more range-specs than the cap are ignored however they overlap") {
    struct Row {
        std::string header;
        std::size_t cap;
        RangeKind kind;
        std::size_t count;
    };
    Row const rows[] = {
        {disjoint(16), default_max_ranges, RangeKind::satisfiable, 16},
        {disjoint(17), default_max_ranges, RangeKind::ignored, 0},
        {repeated("bytes=0-999", ",0-999", 15), default_max_ranges, RangeKind::satisfiable, 1},
        {repeated("bytes=0-999", ",0-999", 16), default_max_ranges, RangeKind::ignored, 0},
        {repeated("bytes=0-999", ",0-999", 999), default_max_ranges, RangeKind::ignored, 0},  // 1000 copies
        {repeated("bytes=0-0", ",-1", 999), default_max_ranges, RangeKind::ignored, 0},
        {repeated("bytes=0-1", ",,,,", 1000), default_max_ranges, RangeKind::satisfiable,
         1},  // empty elements are free
        {repeated("bytes=5000-", ",5000-", 999), default_max_ranges, RangeKind::ignored,
         0},  // even unsatisfiable ones count
        {disjoint(2), 1, RangeKind::ignored, 0},
        {"bytes=0-1", 1, RangeKind::satisfiable, 1},
        {"bytes=0-1", 0, RangeKind::ignored, 0},
        {disjoint(100), 100, RangeKind::satisfiable, 100},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header.substr(0, 40));
        CAPTURE(row.cap);
        auto r = parse_range(row.header, 1000, row.cap);
        CHECK(r.kind == row.kind);
        CHECK(r.ranges.size() == row.count);
    }
}

TEST_CASE("parse_range: every range of an empty file is unsatisfiable") {
    std::string_view const rows[] = {"bytes=0-", "bytes=0-0", "bytes=-5", "bytes=-0", "bytes=0-0,-1", "bytes=5-9"};
    for (auto const header : rows) {
        CAPTURE(header);
        CHECK(parse_range(header, 0).kind == RangeKind::unsatisfiable);
    }
    CHECK(parse_range("bytes=5-1", 0).kind == RangeKind::ignored);  // syntax is judged first
}

TEST_CASE("parse_range: offsets use all 64 bits without wrapping") {
    constexpr std::uint64_t max = UINT64_MAX;
    struct Row {
        std::string_view header;
        std::uint64_t size;
        RangeKind kind;
        std::string_view ranges;
    };
    Row const rows[] = {
        {"bytes=-1", max, RangeKind::satisfiable, "18446744073709551614-18446744073709551614"},
        {"bytes=18446744073709551614-", max, RangeKind::satisfiable, "18446744073709551614-18446744073709551614"},
        {"bytes=18446744073709551615-", max, RangeKind::unsatisfiable, ""},
        {"bytes=0-18446744073709551615", max, RangeKind::satisfiable, "0-18446744073709551614"},
        {"bytes=-18446744073709551615", max, RangeKind::satisfiable, "0-18446744073709551614"},
        {"bytes=0-0,1-18446744073709551615", max, RangeKind::satisfiable, "0-18446744073709551614"},
        {"bytes=4294967296-4294967301", max, RangeKind::satisfiable, "4294967296-4294967301"},
        {"bytes=-18446744073709551615", 10, RangeKind::satisfiable, "0-9"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.header);
        CAPTURE(row.size);
        auto r = parse_range(row.header, row.size);
        CHECK(r.kind == row.kind);
        CHECK(show(r) == row.ranges);
    }
}

TEST_CASE("content_range: exact header values for 206 and 416") {
    constexpr std::uint64_t max = UINT64_MAX;
    struct Row {
        ByteRange range;
        std::uint64_t size;
        std::string_view expected;
    };
    Row const rows[] = {
        {{0, 499}, 1234, "bytes 0-499/1234"},
        {{0, 0}, 1, "bytes 0-0/1"},
        {{1233, 1233}, 1234, "bytes 1233-1233/1234"},
        {{0, max - 1}, max, "bytes 0-18446744073709551614/18446744073709551615"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.expected);
        CHECK(content_range(row.range, row.size) == row.expected);
    }
    CHECK(unsatisfied_content_range(1234) == "bytes */1234");
    CHECK(unsatisfied_content_range(0) == "bytes */0");
    CHECK(unsatisfied_content_range(max) == "bytes */18446744073709551615");
}
