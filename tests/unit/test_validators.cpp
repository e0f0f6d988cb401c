#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

#include "server/http/validators.hpp"

using namespace wasmdev::http;

namespace {

std::string show(Conditional c) {
    switch (c) {
        case Conditional::none: return "none";
        case Conditional::not_modified: return "304";
        case Conditional::precondition_failed: return "412";
    }
    return "?";
}

}  // namespace

TEST_CASE("make_etag: strong - quoted - hex - distinct per coding and per file version") {
    struct Row {
        std::uint64_t ino, size;
        std::int64_t mtime_ns, ctime_ns;
        ContentCoding coding;
        std::string_view expected;
    };
    Row const rows[] = {
        {0x10, 0x20, 0x30, 0x40, ContentCoding::identity, "\"10-20-30-40\""},
        {0x10, 0x20, 0x30, 0x40, ContentCoding::gzip, "\"10-20-30-40-gz\""},
        {0x10, 0x20, 0x30, 0x40, ContentCoding::deflate, "\"10-20-30-40-df\""},
        {0x10, 0x20, 0x30, 0x40, ContentCoding::br, "\"10-20-30-40-br\""},
        {0x10, 0x20, 0x30, 0x40, ContentCoding::zstd, "\"10-20-30-40-zs\""},
        {0, 0, 0, 0, ContentCoding::identity, "\"0-0-0-0\""},
        {UINT64_MAX, UINT64_MAX, INT64_MAX, INT64_MAX, ContentCoding::identity,
         "\"ffffffffffffffff-ffffffffffffffff-7fffffffffffffff-7fffffffffffffff\""},
        {1, 2, -1, 5, ContentCoding::identity, "\"1-2-ffffffffffffffff-5\""},  // pre-1970 mtime: no stray '-'
        {2724, 100000, 1700000000123456789, 1700000000123456789, ContentCoding::gzip,
         "\"aa4-186a0-17979cfe3d85cd15-17979cfe3d85cd15-gz\""},
        // Same size and mtime, another ctime (a rewrite with mtime set back): another tag.
        {2724, 100000, 1700000000123456789, 1700000000999999999, ContentCoding::gzip,
         "\"aa4-186a0-17979cfe3d85cd15-17979cfe71c4c9ff-gz\""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.expected);
        CHECK(make_etag(row.ino, row.size, row.mtime_ns, row.ctime_ns, row.coding) == row.expected);
        CHECK(make_etag(row.ino, row.size, row.mtime_ns, row.ctime_ns, to_string(row.coding)) == row.expected);
    }
    std::set<std::string> tags;
    for (auto c :
         {ContentCoding::identity, ContentCoding::gzip, ContentCoding::deflate, ContentCoding::br, ContentCoding::zstd})
        for (std::int64_t mtime : {0, 1})
            for (std::int64_t ctime : {0, 1})
                for (std::uint64_t size : {0, 1}) tags.insert(make_etag(7, size, mtime, ctime, c));
    CHECK(tags.size() == 5 * 2 * 2 * 2);
}

TEST_CASE("make_etag: Content-Encoding tokens map to the same tags as the enum") {
    struct Row {
        std::string_view token;
        std::string_view expected;
    };
    Row const rows[] = {
        {"identity", "\"1-2-3-4\""},   {"", "\"1-2-3-4\""},
        {"gzip", "\"1-2-3-4-gz\""},    {"x-gzip", "\"1-2-3-4-gz\""},
        {"deflate", "\"1-2-3-4-df\""}, {"br", "\"1-2-3-4-br\""},
        {"zstd", "\"1-2-3-4-zs\""},    {"compress", "\"1-2-3-4-compress\""},  // unknown to us: still distinct
    };
    for (auto const& row : rows) {
        CAPTURE(row.token);
        CHECK(make_etag(1, 2, 3, 4, row.token) == row.expected);
    }
}

TEST_CASE("format_http_date: IMF-fixdate with exact bytes") {
    struct Row {
        std::time_t t;
        std::string_view expected;
    };
    Row const rows[] = {
        {0, "Thu, 01 Jan 1970 00:00:00 GMT"},
        {784111777, "Sun, 06 Nov 1994 08:49:37 GMT"},
        {951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
        {1709164800, "Thu, 29 Feb 2024 00:00:00 GMT"},
        {2147483647, "Tue, 19 Jan 2038 03:14:07 GMT"},
        {2147483648, "Tue, 19 Jan 2038 03:14:08 GMT"},  // past 32 bits
        {4102444799, "Thu, 31 Dec 2099 23:59:59 GMT"},
        {-1, "Wed, 31 Dec 1969 23:59:59 GMT"},
        {-86400, "Wed, 31 Dec 1969 00:00:00 GMT"},
        {-2208988800, "Mon, 01 Jan 1900 00:00:00 GMT"},
        {253402300799, "Fri, 31 Dec 9999 23:59:59 GMT"},
        {253402300800, "Fri, 31 Dec 9999 23:59:59 GMT"},  // clamped: a fifth year digit is not a date
        {INT64_MAX, "Fri, 31 Dec 9999 23:59:59 GMT"},
        {-62135596800, "Mon, 01 Jan 0001 00:00:00 GMT"},
        {INT64_MIN, "Mon, 01 Jan 0001 00:00:00 GMT"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.t);
        CHECK(format_http_date(row.t) == row.expected);
    }
}

TEST_CASE("parse_http_date: the three RFC 9110 forms parse to the same instant and garbage does not") {
    std::time_t const t = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
    struct Row {
        std::string_view text;
        std::optional<std::time_t> expected;
    };
    Row const rows[] = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", t},
        {"Sunday, 06-Nov-94 08:49:37 GMT", t},
        {"Sun Nov  6 08:49:37 1994", t},
        {"Sun Nov 06 08:49:37 1994", t},
        {"  Sun, 06 Nov 1994 08:49:37 GMT\t", t},
        {"Mon, 06 Nov 1994 08:49:37 GMT", t},  // a wrong day name is not checked
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
        {"Wed, 31 Dec 1969 23:59:59 GMT", -1},
        {"Thu, 29 Feb 2024 00:00:00 GMT", 1709164800},
        {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400},
        {"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799},
        {"Sat, 31 Dec 2016 23:59:60 GMT", 1483228800},  // leap second
        {"Thursday, 01-Jan-70 00:00:00 GMT", 0},
        {"Saturday, 01-Jan-00 00:00:00 GMT", 946684800},  // two-digit year below 70: 20xx
        {"Tue Feb 29 00:00:00 2000", 951782400},
        {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 gmt", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 GMT x", std::nullopt},
        {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 94 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:60:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:61 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 -1:49:37 GMT", std::nullopt},  // signs are not digits
        {"Sun, +6 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 8:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 08-49-37 GMT", std::nullopt},
        {"Sun, 00 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 31 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 29 Feb 1900 08:49:37 GMT", std::nullopt},  // not a leap year
        {"Sun, 30 Feb 2000 08:49:37 GMT", std::nullopt},
        {"Xyz, 06 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun 06 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06-Nov-94 08:49:37 GMT", std::nullopt},  // RFC 850 wants the long day name
        {"Sunday, 06-Nov-1994 08:49:37 GMT", std::nullopt},
        {"Sunday, 6-Nov-94 08:49:37 GMT", std::nullopt},
        {"Sun Nov  6 08:49:37 94", std::nullopt},
        {"Sun Nov 123 08:49:37 1994", std::nullopt},
        {"Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", std::nullopt},  // a list
        {"784111777", std::nullopt},
        {"yesterday", std::nullopt},
        {"", std::nullopt},
        {"a a a a a a a a a a a a", std::nullopt},
    };
    for (auto const& row : rows) {
        CAPTURE(row.text);
        CHECK(parse_http_date(row.text) == row.expected);
    }
}

TEST_CASE("format_http_date and parse_http_date round-trip across the calendar") {
    // Every day from 1899 to 2101 at a time of day that varies, so leap years and month ends are all crossed.
    for (std::int64_t t = -2240524800; t < 4133980800; t += 86400 + 3607) {
        auto const text = format_http_date(std::time_t(t));
        CAPTURE(text);
        CHECK(parse_http_date(text) == std::time_t(t));
    }
}

TEST_CASE("evaluate_conditionals: RFC 9110 §13.2.2 precedence") {
    std::string const etag = "\"a-b-c\"";
    std::time_t const lm = 784111777;
    auto const equal = "Sun, 06 Nov 1994 08:49:37 GMT";
    auto const before = "Sun, 06 Nov 1994 08:49:36 GMT";
    auto const after = "Sun, 06 Nov 1994 08:49:38 GMT";
    struct Row {
        ConditionalHeaders h;
        Conditional expected;
        char const* why;
    };
    Row const rows[] = {
        {{}, Conditional::none, "no conditionals"},
        {{std::nullopt, "\"a-b-c\""}, Conditional::not_modified, "If-None-Match matches"},
        {{std::nullopt, "W/\"a-b-c\""}, Conditional::not_modified, "weak comparison for If-None-Match"},
        {{std::nullopt, "\"x\", \"a-b-c\""}, Conditional::not_modified, "list"},
        {{std::nullopt, "\"x\",W/\"a-b-c\" , \"y\""}, Conditional::not_modified, "list with a weak member"},
        {{std::nullopt, "\"x,y\", \"a-b-c\""}, Conditional::not_modified, "comma inside a tag"},
        {{std::nullopt, "*"}, Conditional::not_modified, "star"},
        {{std::nullopt, " * "}, Conditional::not_modified, "star with whitespace"},
        {{std::nullopt, "\"x\""}, Conditional::none, "no match"},
        {{std::nullopt, "\"a-b-c-gz\""}, Conditional::none, "another coding's tag"},
        {{std::nullopt, "a-b-c"}, Conditional::none, "unquoted tag"},
        {{std::nullopt, "\"A-B-C\""}, Conditional::none, "tags are case-sensitive"},
        {{std::nullopt, "w/\"a-b-c\""}, Conditional::none, "lowercase w/ is not a weak prefix"},
        {{std::nullopt, ""}, Conditional::none, "empty If-None-Match"},
        {{std::nullopt, "\"x\", *"}, Conditional::none, "star inside a list is malformed"},
        {{std::nullopt, "\"x\"", equal}, Conditional::none, "If-Modified-Since ignored with If-None-Match"},
        {{std::nullopt, "\"a-b-c\"", before}, Conditional::not_modified, "If-None-Match decides alone"},
        {{std::nullopt, std::nullopt, equal}, Conditional::not_modified, "not modified since"},
        {{std::nullopt, std::nullopt, after}, Conditional::not_modified, "not modified since a later date"},
        {{std::nullopt, std::nullopt, before}, Conditional::none, "modified since"},
        {{std::nullopt, std::nullopt, "garbage"}, Conditional::none, "invalid date ignored"},
        {{std::nullopt, std::nullopt, ""}, Conditional::none, "empty date ignored"},
        {{std::nullopt, std::nullopt, "Sunday, 06-Nov-94 08:49:37 GMT"}, Conditional::not_modified, "RFC 850 date"},
        {{std::nullopt, std::nullopt, "Sun Nov  6 08:49:37 1994"}, Conditional::not_modified, "asctime date"},
        {{"\"x\""}, Conditional::precondition_failed, "If-Match fails"},
        {{"\"a-b-c\""}, Conditional::none, "If-Match strong match"},
        {{"\"x\", \"a-b-c\""}, Conditional::none, "If-Match list"},
        {{"*"}, Conditional::none, "If-Match star"},
        {{"W/\"a-b-c\""}, Conditional::precondition_failed, "If-Match never matches weak tags"},
        {{""}, Conditional::precondition_failed, "empty If-Match matches nothing"},
        {{"\"x\"", "\"a-b-c\""}, Conditional::precondition_failed, "If-Match is evaluated first"},
        {{"\"a-b-c\"", "\"a-b-c\""}, Conditional::not_modified, "If-Match passes then If-None-Match"},
        {{std::nullopt, std::nullopt, std::nullopt, before}, Conditional::precondition_failed, "modified after"},
        {{std::nullopt, std::nullopt, std::nullopt, equal}, Conditional::none, "unmodified"},
        {{std::nullopt, std::nullopt, std::nullopt, "garbage"}, Conditional::none, "invalid date ignored"},
        {{"\"a-b-c\"", std::nullopt, std::nullopt, before},
         Conditional::none,
         "If-Unmodified-Since ignored with If-Match"},
        {{std::nullopt, std::nullopt, equal, before}, Conditional::precondition_failed, "412 before 304"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.why);
        CHECK(show(evaluate_conditionals(row.h, etag, lm)) == show(row.expected));
    }
}

TEST_CASE("evaluate_conditionals: a weak current tag passes If-None-Match but not If-Match") {
    std::time_t const lm = 0;
    CHECK(evaluate_conditionals({std::nullopt, "\"a\""}, "W/\"a\"", lm) == Conditional::not_modified);
    CHECK(evaluate_conditionals({"\"a\""}, "W/\"a\"", lm) == Conditional::precondition_failed);
}

TEST_CASE("if_range_matches: a strong ETag or the exact Last-Modified date only") {
    std::time_t const lm = 784111777;
    struct Row {
        std::string_view if_range;
        std::string_view etag;
        bool expected;
    };
    Row const rows[] = {
        {"\"a\"", "\"a\"", true},
        {" \"a\" ", "\"a\"", true},
        {"W/\"a\"", "\"a\"", false},  // weak tags never match
        {"\"a\"", "W/\"a\"", false},
        {"\"b\"", "\"a\"", false},
        {"\"a\", \"b\"", "\"a\"", false},  // one validator, not a list
        {"\"a", "\"a\"", false},
        {"a", "\"a\"", false},
        {"", "\"a\"", false},
        {"Sun, 06 Nov 1994 08:49:37 GMT", "\"a\"", true},
        {"Sunday, 06-Nov-94 08:49:37 GMT", "\"a\"", true},
        {"Sun Nov  6 08:49:37 1994", "\"a\"", true},
        {"Sun, 06 Nov 1994 08:49:38 GMT", "\"a\"", false},  // later: not equal
        {"Sun, 06 Nov 1994 08:49:36 GMT", "\"a\"", false},
        {"nonsense", "\"a\"", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.if_range);
        CAPTURE(row.etag);
        CHECK(if_range_matches(row.if_range, row.etag, lm) == row.expected);
    }
}
