#include <doctest/doctest.h>

#include "server/http/target.hpp"

using namespace wasmdev::http;

TEST_CASE("parse_target: decoding and dot segments - never above the root") {
    struct Row { std::string_view target; bool valid; std::string_view path; bool slash; };
    Row const rows[] = {
        {"/", true, "", true},
        {"/a/b.wasm", true, "a/b.wasm", false},
        {"/a/b/", true, "a/b", true},
        {"/a%20b/c%26d", true, "a b/c&d", false},
        {"/%C3%A9t%C3%A9.txt", true, "\xC3\xA9t\xC3\xA9.txt", false},
        {"/a/./b", true, "a/b", false},
        {"/a/../b", true, "b", false},
        {"/../../etc/passwd", true, "etc/passwd", false},
        {"/%2e%2e/%2E%2E/etc/passwd", true, "etc/passwd", false},
        {"/.%2e/x", true, "x", false},
        {"/a/..", true, "", true},
        {"/a/.", true, "a", true},
        {"//a//b", true, "a/b", false},
        {"/%252e%252e/x", true, "%2e%2e/x", false},    // decoded once only
        {"/%c0%ae%c0%ae/x", true, "\xC0\xAE\xC0\xAE/x", false},  // overlong dots are not dots
        {"/a?x=1&y=../../z", true, "a", false},
        {"/a#frag", false, "", false},
        {"/..%2fsecret", false, "", false},            // encoded slash
        {"/%2F", false, "", false},
        {"/..%5csecret", false, "", false},            // encoded backslash
        {"/..\\secret", false, "", false},             // raw backslash is not a valid path char
        {"/a%00b", false, "", false},
        {"/%00", false, "", false},
        {"http://localhost/../x", true, "x", false},
        {"https://localhost:8000/a/", true, "a", true},
        {"ftp://localhost/a", false, "", false},
        {"a/b", false, "", false},
        {"", false, "", false},
        {"/a b", false, "", false},
        {"/%zz", false, "", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        REQUIRE(t.has_value() == row.valid);
        if (!t) continue;
        std::string joined;
        for (auto const& s : t->segments) joined += (joined.empty() ? "" : "/") + s;
        CHECK(joined == row.path);
        CHECK(t->trailing_slash == row.slash);
        for (auto const& s : t->segments) {
            CHECK(s != "..");
            CHECK(s != ".");
            CHECK(s.find('/') == std::string::npos);
        }
    }
}

TEST_CASE("parse_target: query - authority and the asterisk form") {
    auto t = parse_target("/x?a=%20b");
    REQUIRE(t);
    CHECK(t->query == "a=%20b");
    auto abs = parse_target("http://Evil.example:81/x");
    REQUIRE(abs);
    CHECK(abs->authority == "Evil.example:81");
    auto star = parse_target("*");
    REQUIRE(star);
    CHECK(star->asterisk);
}

TEST_CASE("encode_path: percent-encodes everything but unreserved - and never yields // or /backslash") {
    CHECK(encode_path({}, true) == "/");
    CHECK(encode_path({"a b", "c&d#e%f"}, true) == "/a%20b/c%26d%23e%25f/");
    CHECK(encode_path({"\xC3\xA9"}, false) == "/%C3%A9");
    CHECK(encode_path({"evil.com"}, true) == "/evil.com/");
    CHECK(encode_segment("a\\b/c") == "a%5Cb%2Fc");
}
