#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "server/text/ascii.hpp"
#include "server/text/percent.hpp"
#include "server/text/shell.hpp"

using namespace wasmdev::text;

TEST_CASE("trim: drops only the given characters at both ends, OWS by default") {
    struct Row {
        std::string_view in;
        std::string_view chars;
        std::string_view out;
    };
    Row const rows[] = {
        {"  gzip\t", ows, "gzip"},
        {"\t a b \t", ows, "a b"},
        {"", ows, ""},
        {" \t ", ows, ""},
        {"\r\nx\r\n", ows, "\r\nx\r\n"},  // CR and LF are not OWS
        {" x\r", " \t\r", "x"},
        {"\n 3.1.6\n", " \t\r\n", "3.1.6"},
        {"\xC2\xA0x\xC2\xA0", ows, "\xC2\xA0x\xC2\xA0"},  // no Unicode spaces
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(trim(row.in, row.chars) == row.out);
    }
}

TEST_CASE("iequals, istarts_with and lowercase fold ASCII letters only") {
    struct Row {
        std::string_view a;
        std::string_view b;
        bool equal;
    };
    Row const rows[] = {
        {"Cache-Control", "cache-control", true},
        {"", "", true},
        {"Cache-Control", "Cache-Contro", false},
        {"a", "b", false},
        {"\xC3\xA9", "\xC3\x89", false},  // é and É: no Unicode folding
        {"[", "{", false},                // 0x5B and 0x7B differ by 0x20 but are not letters
        {"@", "`", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.a);
        CAPTURE(row.b);
        CHECK(iequals(row.a, row.b) == row.equal);
    }
    CHECK(istarts_with("EXPR=%{x}", "expr="));
    CHECK(istarts_with("bytes", ""));
    CHECK_FALSE(istarts_with("exp", "expr="));
    CHECK(lowercase("Linux-GNU \xC3\x89[Z]") == "linux-gnu \xC3\x89[z]");
}

TEST_CASE("hex: two digits per byte in the asked case, and digits read back in either case") {
    std::string out;
    append_hex(out, 0x00);
    append_hex(out, 0x7f);
    append_hex(out, 0xAB, HexCase::upper);
    append_hex(out, 0xff);
    CHECK(out == "007fABff");
    for (unsigned v = 0; v < 16; ++v) {
        CAPTURE(v);
        CHECK(hex_value(hex_digit(v)) == int(v));
        CHECK(hex_value(hex_digit(v, HexCase::upper)) == int(v));
    }
    for (char c : std::string_view("gG/:@`% \xff")) {
        CAPTURE(c);
        CHECK(hex_value(c) == -1);
    }
}

TEST_CASE("escape_controls: one printable line, UTF-8 untouched") {
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"plain", "plain"},
        {"a\r\nb", "a\\r\\nb"},
        {std::string_view("\0\x01\x1b[31m\x7f", 8), "\\x00\\x01\\x1b[31m\\x7f"},
        {"tab\t", "tab\\x09"},
        {"caf\xC3\xA9 \xC2\x9B", "caf\xC3\xA9 \xC2\x9B"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(escape_controls(row.in) == row.out);
    }
}

TEST_CASE("percent_encode keeps the caller's set, percent_decode leaves malformed escapes as written") {
    auto const alnum = [](unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    CHECK(percent_encode("a b/\xC3\xA9%", alnum) == "a%20b%2F%C3%A9%25");
    CHECK(percent_encode("", alnum).empty());
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"a%20b", "a b"}, {"%2f%2F", "//"}, {"%C3%A9", "\xC3\xA9"}, {"%00", std::string_view("\0", 1)},
        {"100%", "100%"}, {"%2", "%2"},     {"%zz%4", "%zz%4"},     {"%%41", "%A"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(percent_decode(row.in) == row.out);
    }
}

TEST_CASE("shell_quote: plain words as they are, everything else in single quotes a POSIX shell reads back") {
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"--host=wasm32-unknown-emscripten", "--host=wasm32-unknown-emscripten"},
        {"a@b%c+d=e:f,g./_-", "a@b%c+d=e:f,g./_-"},
        {"", "''"},
        {"a b", "'a b'"},
        {"it's", "'it'\\''s'"},
        {"$(id)`id`", "'$(id)`id`'"},
        {"line\nbreak", "'line\nbreak'"},
        {"\xC3\xA9", "'\xC3\xA9'"},
        {"~", "'~'"},  // tilde expansion
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(shell_quote(row.in) == row.out);
    }
}
