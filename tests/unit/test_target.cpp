// parse_target / encode_path / encode_segment (docs/design.md#paths): decoding once, dot
// segments that never climb above the root, and redirect paths that never start with "//".
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "server/http/target.hpp"

using namespace wasmdev::http;

namespace {

std::string joined(Target const& t) {
    std::string out;
    for (auto const& s : t.segments) out += (out.empty() ? "" : "/") + s;
    return out;
}

void check_invariants(Target const& t) {
    for (auto const& s : t.segments) {
        CAPTURE(s);
        CHECK_FALSE(s.empty());
        CHECK(s != ".");
        CHECK(s != "..");
        CHECK(s.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("parse_target: origin-form paths decode once and resolve dot segments") {
    struct Row {
        std::string_view target;
        bool valid;
        std::string_view path;
        bool slash;
    };
    Row const rows[] = {
        {"/", true, "", true},
        {"/a/b.wasm", true, "a/b.wasm", false},
        {"/a/b/", true, "a/b", true},
        {"/a%20b/c%26d", true, "a b/c&d", false},
        {"/a%20b%20%26%20%3Cc%3E%20%23%25.txt", true, "a b & <c> #%.txt", false},
        {"/%C3%A9t%C3%A9.txt", true, "\xC3\xA9t\xC3\xA9.txt", false},
        {"/%c3%a9.txt", true, "\xC3\xA9.txt", false},  // lower-case hex too
        {"/a+b", true, "a+b", false},                  // '+' is not a space in a path
        {"/a;b", true, "a;b", false},
        {"/a'b", true, "a'b", false},
        {"/a/./b", true, "a/b", false},
        {"/a/../b", true, "b", false},
        {"/a/b/../../c", true, "c", false},
        {"/../../etc/passwd", true, "etc/passwd", false},
        {"/%2e%2e/%2E%2E/etc/passwd", true, "etc/passwd", false},
        {"/.%2e/x", true, "x", false},
        {"/%2e./x", true, "x", false},
        {"/%2e/x", true, "x", false},
        {"/...", true, "...", false},      // three dots is a name
        {"/..;/x", true, "..;/x", false},  // not a dot segment either
        {"/a/..", true, "", true},
        {"/a/.", true, "a", true},
        {"/a/%2e", true, "a", true},
        {"/..", true, "", true},
        {"//a//b", true, "a/b", false},
        {"//", true, "", true},
        {"/%252e%252e/x", true, "%2e%2e/x", false},  // decoded once only
        {"/%25", true, "%", false},
        {"/%c0%ae%c0%ae/x", true, "\xC0\xAE\xC0\xAE/x", false},  // overlong dots are bytes, not dots
        {"/%c0%af", true, "\xC0\xAF", false},                    // overlong slash is a byte, not a slash
        {"/%e0%80%ae%e0%80%ae/x", true, "\xE0\x80\xAE\xE0\x80\xAE/x", false},
        {"/a?x=1&y=../../z", true, "a", false},
        {"/a/?", true, "a", true},
        {"/a#frag", false, "", false},
        {"/..%2fsecret", false, "", false},  // an encoded slash inside a segment
        {"/%2F", false, "", false},
        {"/%2f%2fevil.com", false, "", false},
        {"/..%5csecret", false, "", false},  // an encoded backslash
        {"/%5C", false, "", false},
        {"/..\\secret", false, "", false},  // a raw backslash
        {"/a%00b", false, "", false},
        {"/%00", false, "", false},
        {"/a%0", false, "", false},
        {"/%zz", false, "", false},
        {"/%u002e%u002e/x", false, "", false},  // IIS-style %u escapes are not URI syntax
        {"/a b", false, "", false},
        {"/a\tb", false, "", false},
        {"/a\r\nb", false, "", false},
        {"/a<b>", false, "", false},
        {"a/b", false, "", false},
        {"", false, "", false},
        {"?x", false, "", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        REQUIRE(t.has_value() == row.valid);
        if (!t) continue;
        CHECK(joined(*t) == row.path);
        CHECK(t->trailing_slash == row.slash);
        CHECK(t->authority.empty());
        CHECK_FALSE(t->asterisk);
        check_invariants(*t);
    }
}

TEST_CASE("parse_target: absolute-form keeps the authority and resolves like origin-form") {
    struct Row {
        std::string_view target;
        bool valid;
        std::string_view path;
        bool slash;
        std::string_view authority;
    };
    Row const rows[] = {
        {"http://localhost/../x", true, "x", false, "localhost"},
        {"http://localhost/%2e%2e/x", true, "x", false, "localhost"},
        {"https://localhost:8000/a/", true, "a", true, "localhost:8000"},
        {"http://Evil.example:81/x", true, "x", false, "Evil.example:81"},
        {"http://[::1]:8000/a", true, "a", false, "[::1]:8000"},
        {"http://localhost", true, "", true, "localhost"},
        {"http://localhost//evil.com/x", true, "evil.com/x", false, "localhost"},
        {"http://localhost/a%2fb", false, "", false, ""},
        {"ftp://localhost/a", false, "", false, ""},
        {"file:///etc/passwd", false, "", false, ""},
        {"mailto:a@b", false, "", false, ""},
        {"http:/x", false, "", false, ""},  // no authority
        {"localhost/x", false, "", false, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        REQUIRE(t.has_value() == row.valid);
        if (!t) continue;
        CHECK(joined(*t) == row.path);
        CHECK(t->trailing_slash == row.slash);
        CHECK(t->authority == row.authority);
        check_invariants(*t);
    }
}

// RFC 3986 §3.2: the path after an authority is empty or starts with "/"; port = *DIGIT;
// "127.0.0.1.evil.com" is one reg-name (the IPv4address rule must match the whole host).
// Boost.URL 1.81 stops the host early and hands the rest over as a rootless path:
// "http://127.0.0.1.evil.com/x" → authority "127.0.0.1", segments [".evil.com", "x"].
TEST_CASE("parse_target: the path of an absolute-form target starts after the whole authority") {
    struct Row {
        std::string_view target;
        bool valid;
        std::string_view path;
        std::string_view authority;
    };
    Row const rows[] = {
        {"http://127.0.0.1.evil.com/x", true, "x", "127.0.0.1.evil.com"},
        {"http://10.0.0.1.evil.com:80/x", true, "x", "10.0.0.1.evil.com:80"},
        {"http://1.2.3.4x/x", true, "x", "1.2.3.4x"},
        {"http://localhost:abc/x", false, "", ""},
        {"http://localhost:8000abc/x", false, "", ""},
        {"http://localhost:80:80/x", false, "", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        CHECK(t.has_value() == row.valid);
        if (!t || !row.valid) continue;
        CHECK(joined(*t) == row.path);
        CHECK(t->authority == row.authority);
    }
}

// RFC 3986 §3.1: schemes are case-insensitive ("HTTP://" is "http://").
TEST_CASE("parse_target: the absolute-form scheme is case-insensitive") {
    for (std::string_view target : {"HTTP://localhost/a", "Http://localhost/a", "HTTPS://localhost/a"}) {
        CAPTURE(target);
        auto t = parse_target(target);
        REQUIRE(t.has_value());
        CHECK(joined(*t) == "a");
        CHECK(t->authority == "localhost");
    }
}

// RFC 9110 §4.2.4: "A recipient SHOULD parse for userinfo and treat its presence as an error".
TEST_CASE("parse_target: userinfo in an absolute-form target is refused") {
    for (std::string_view target :
         {"http://user@localhost/a", "http://evil.com@localhost/a", "http://a:b@localhost/a"}) {
        CAPTURE(target);
        CHECK_FALSE(parse_target(target).has_value());
    }
}

// Browsers (WHATWG URL) send these bytes unencoded: '[' ']' '|' in paths, and '{' '}' '|'
// '^' '`' '[' ']' '%' in queries. A dev server must still find "x[1].js" and must ignore
// the query for file lookup (docs/design.md#paths) instead of answering 400.
TEST_CASE("parse_target: bytes browsers send unencoded still parse") {
    struct Row {
        std::string_view target;
        std::string_view path;
    };
    Row const rows[] = {
        {"/x[1].js", "x[1].js"},         {"/a|b.txt", "a|b.txt"},        {"/app.wasm?v={1}", "app.wasm"},
        {"/app.wasm?a|b", "app.wasm"},   {"/app.wasm?x=^1", "app.wasm"}, {"/app.wasm?x=`1`", "app.wasm"},
        {"/app.wasm?x[]=1", "app.wasm"}, {"/app.wasm?100%", "app.wasm"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto t = parse_target(row.target);
        CHECK(t.has_value());
        if (!t) continue;
        CHECK(joined(*t) == row.path);
        check_invariants(*t);
    }
}

TEST_CASE("parse_target: query stays encoded - the asterisk form - long paths") {
    auto t = parse_target("/x?a=%20b&c=../d");
    REQUIRE(t);
    CHECK(t->query == "a=%20b&c=../d");
    CHECK(joined(*t) == "x");
    auto empty_query = parse_target("/x?");
    REQUIRE(empty_query);
    CHECK(empty_query->query.empty());
    auto star = parse_target("*");
    REQUIRE(star);
    CHECK(star->asterisk);
    CHECK(star->segments.empty());
    CHECK_FALSE(parse_target("**").has_value());
    CHECK_FALSE(parse_target("*/x").has_value());

    std::string deep = "/";
    for (int i = 0; i < 5000; ++i) deep += "a/";
    auto d = parse_target(deep);
    REQUIRE(d);
    CHECK(d->segments.size() == 5000);
    CHECK(d->trailing_slash);

    std::string climb = "/";
    for (int i = 0; i < 5000; ++i) climb += "%2e%2e/";
    climb += "secret.txt";
    auto c = parse_target(climb);
    REQUIRE(c);
    CHECK(joined(*c) == "secret.txt");
}

TEST_CASE("encode_segment: everything but RFC 3986 unreserved is percent-encoded in upper-case hex") {
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"", ""},
        {"abcXYZ019-._~", "abcXYZ019-._~"},
        {"a b & <c> #%.txt", "a%20b%20%26%20%3Cc%3E%20%23%25.txt"},
        {"\xC3\xA9.txt", "%C3%A9.txt"},
        {"a\\b/c", "a%5Cb%2Fc"},
        {"?;=+'\"", "%3F%3B%3D%2B%27%22"},
        {"x[1]|{}", "x%5B1%5D%7C%7B%7D"},
        {std::string_view("\0\x7f\xff", 3), "%00%7F%FF"},
        {"..", ".."},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(encode_segment(row.in) == row.out);
    }
}

TEST_CASE("encode_path: the slash form for redirects") {
    CHECK(encode_path({}, true) == "/");
    CHECK(encode_path({}, false) == "/");
    CHECK(encode_path({"a"}, false) == "/a");
    CHECK(encode_path({"a"}, true) == "/a/");
    CHECK(encode_path({"a b", "c&d#e%f"}, true) == "/a%20b/c%26d%23e%25f/");
    CHECK(encode_path({"\xC3\xA9"}, false) == "/%C3%A9");
    CHECK(encode_path({"evil.com", "dir"}, true) == "/evil.com/dir/");
    CHECK(encode_path({"\\evil.com"}, true) == "/%5Cevil.com/");
    // Round trip: what encode_path writes, parse_target reads back unchanged.
    std::vector<std::string> const awkward{"a b & <c> #%.txt", "\xC3\xA9", "x[1]", "%2e%2e", "?q"};
    auto back = parse_target(encode_path(awkward, true));
    REQUIRE(back);
    CHECK(back->segments == awkward);
    CHECK(back->trailing_slash);
    CHECK(back->query.empty());
}

// target.hpp promises encode_path "never starts with // or /\"; an empty segment breaks it
// ("//evil.com/" is a protocol-relative redirect to another host).
TEST_CASE("encode_path: never starts with two slashes even for empty segments") {
    CHECK_FALSE(encode_path({"", "evil.com"}, true).starts_with("//"));
    CHECK_FALSE(encode_path({""}, false).starts_with("//"));
}

// Plain targets take a fast path that skips Boost.URL; the same path with one byte
// percent-encoded takes the full parser. Both must agree exactly.
TEST_CASE("parse_target: the plain-path fast route agrees with the full parser") {
    std::string_view const plain[] = {"/",
                                      "//",
                                      "/a",
                                      "/a/",
                                      "/a//",
                                      "//a//b",
                                      "/python.wasm",
                                      "/Lib/os.py",
                                      "/builddir/emscripten-browser/python.html",
                                      "/a-b_c~d.e/",
                                      "/...",
                                      "/.x/y",
                                      "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p"};
    for (auto p : plain) {
        CAPTURE(p);
        // Encode the first 'a'-'z' byte found, so the full parser sees the same path.
        std::string encoded(p);
        auto const at = encoded.find_first_of("abcdefghijklmnopqrstuvwxyz");
        if (at != std::string::npos) encoded.replace(at, 1, fmt::format("%{:02X}", int(encoded[at])));
        for (std::string_view query : {"", "?v=1"}) {
            auto fast = parse_target(std::string(p) + std::string(query));
            auto full = parse_target(encoded + std::string(query));
            REQUIRE(fast.has_value());
            REQUIRE(full.has_value());
            CHECK(fast->segments == full->segments);
            CHECK(fast->trailing_slash == full->trailing_slash);
            CHECK(fast->query == full->query);
            check_invariants(*fast);
        }
    }
}
