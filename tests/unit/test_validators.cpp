#include <doctest/doctest.h>

#include "server/http/validators.hpp"

using namespace wasmdev::http;

TEST_CASE("make_etag: strong - quoted - distinct per coding and per version") {
    auto id = make_etag(0x10, 0x20, 0x30, "identity");
    CHECK(id == "\"10-20-30\"");
    CHECK(make_etag(0x10, 0x20, 0x30, "gzip") == "\"10-20-30-gzip\"");
    CHECK(make_etag(0x10, 0x20, 0x30, "br") != make_etag(0x10, 0x20, 0x30, "gzip"));
    CHECK(make_etag(0x10, 0x20, 0x31, "identity") != id);
}

TEST_CASE("HTTP dates: the three forms parse to the same instant - and formatting round-trips") {
    std::time_t const t = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
    CHECK(format_http_date(t) == "Sun, 06 Nov 1994 08:49:37 GMT");
    struct Row { std::string_view text; std::optional<std::time_t> expected; };
    Row const rows[] = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", t},
        {"Sunday, 06-Nov-94 08:49:37 GMT", t},
        {"Sun Nov  6 08:49:37 1994", t},
        {"  Sun, 06 Nov 1994 08:49:37 GMT  ", t},
        {"Sun, 06 Nov 1994 08:49:37 UTC", std::nullopt},
        {"Sun, 6 Nov 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Foo 1994 08:49:37 GMT", std::nullopt},
        {"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
        {"yesterday", std::nullopt},
        {"", std::nullopt},
    };
    for (auto const& row : rows) {
        CAPTURE(row.text);
        CHECK(parse_http_date(row.text) == row.expected);
    }
}

TEST_CASE("evaluate_conditionals: RFC 9110 §13.2.2 precedence") {
    std::string const etag = "\"a-b-c\"";
    std::time_t const lm = 784111777;
    auto const date_equal = "Sun, 06 Nov 1994 08:49:37 GMT";
    auto const date_before = "Sun, 06 Nov 1994 08:49:36 GMT";
    struct Row { ConditionalHeaders h; Conditional expected; char const* why; };
    Row const rows[] = {
        {{}, Conditional::none, "no conditionals"},
        {{std::nullopt, "\"a-b-c\""}, Conditional::not_modified, "If-None-Match matches"},
        {{std::nullopt, "W/\"a-b-c\""}, Conditional::not_modified, "weak comparison for If-None-Match"},
        {{std::nullopt, "\"x\", \"a-b-c\""}, Conditional::not_modified, "list"},
        {{std::nullopt, "*"}, Conditional::not_modified, "star"},
        {{std::nullopt, "\"x\""}, Conditional::none, "no match"},
        {{std::nullopt, "\"x\"", date_equal}, Conditional::none, "If-Modified-Since ignored with If-None-Match"},
        {{std::nullopt, std::nullopt, date_equal}, Conditional::not_modified, "not modified since"},
        {{std::nullopt, std::nullopt, date_before}, Conditional::none, "modified since"},
        {{std::nullopt, std::nullopt, "garbage"}, Conditional::none, "invalid date ignored"},
        {{"\"x\""}, Conditional::precondition_failed, "If-Match fails"},
        {{"\"a-b-c\""}, Conditional::none, "If-Match strong match"},
        {{"W/\"a-b-c\""}, Conditional::precondition_failed, "If-Match never matches weak tags"},
        {{std::nullopt, std::nullopt, std::nullopt, date_before}, Conditional::precondition_failed, "modified after"},
        {{std::nullopt, std::nullopt, std::nullopt, date_equal}, Conditional::none, "unmodified"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.why);
        CHECK(evaluate_conditionals(row.h, etag, lm) == row.expected);
    }
}

TEST_CASE("if_range_matches: strong ETag or exact date only") {
    std::time_t const lm = 784111777;
    CHECK(if_range_matches("\"a\"", "\"a\"", lm));
    CHECK_FALSE(if_range_matches("W/\"a\"", "\"a\"", lm));
    CHECK_FALSE(if_range_matches("\"b\"", "\"a\"", lm));
    CHECK(if_range_matches("Sun, 06 Nov 1994 08:49:37 GMT", "\"a\"", lm));
    CHECK_FALSE(if_range_matches("Sun, 06 Nov 1994 08:49:38 GMT", "\"a\"", lm));
    CHECK_FALSE(if_range_matches("nonsense", "\"a\"", lm));
}
