// The access-log line (server/http/access_line.hpp): what was sent, and a target that cannot
// act on the terminal that shows it (docs/design.md#logging).
#include <doctest/doctest.h>

#include <string>

#include "server/http/access_line.hpp"

using namespace wasmdev::http;

namespace {
std::string escaped(std::string_view s) {
    std::string out;
    append_log_escaped(out, s);
    return out;
}
}  // namespace

TEST_CASE("append_log_escaped: control - C1 and bidi characters and invalid UTF-8 are written as escapes") {
    struct Row {
        std::string_view in, out;
    };
    Row const rows[] = {
        {"/index.html?a=1&b=%20", "/index.html?a=1&b=%20"},
        {"/caf\xC3\xA9.txt", "/caf\xC3\xA9.txt"},          // UTF-8 letters stay readable
        {"/\xF0\x9F\x90\x8D.py", "/\xF0\x9F\x90\x8D.py"},  // a 4-byte sequence too
        {"/a\x1b[31mred", "/a\\x1b[31mred"},               // ESC: no terminal colours
        {"/a\rb\nc\td\x7f", "/a\\x0db\\x0ac\\x09d\\x7f"},
        {"/\x9b"
         "31m",
         "/\\x9b31m"},  // a lone C1 byte: invalid UTF-8
        {"/\xC2\x9B"
         "31m",
         "/\\u{009b}31m"},                                       // U+009B CSI, well-formed
        {"/evil\xE2\x80\xAEgpj.exe", "/evil\\u{202e}gpj.exe"},   // U+202E RIGHT-TO-LEFT OVERRIDE
        {"/\xE2\x81\xA6x\xE2\x81\xA9", "/\\u{2066}x\\u{2069}"},  // isolates
        {"/\xE2\x80\x8F", "/\\u{200f}"},
        {"/\xC3", "/\\xc3"},                             // truncated
        {"/\xC0\xAF", "/\\xc0\\xaf"},                    // overlong '/'
        {"/\xED\xA0\x80", "/\\xed\\xa0\\x80"},           // a surrogate
        {"/\xF4\x90\x80\x80", "/\\xf4\\x90\\x80\\x80"},  // beyond U+10FFFF
        {"/say \"hi\"\\", "/say \\\"hi\\\"\\\\"},        // quotes cannot end the field
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(escaped(row.in) == row.out);
    }
}

TEST_CASE("append_access_line: status - bytes sent - coding - time and cut-short") {
    std::string out;
    append_access_line(out, "12:34:56.789", {"127.0.0.1:5000", "GET", "/app.wasm", 200, 12345, "gzip", 1.26, false});
    CHECK(out == "[12:34:56.789] 127.0.0.1:5000 \"GET /app.wasm\" 200 12345 gzip 1.3ms\n");
    out.clear();
    append_access_line(out, "00:00:00.000", {"[::1]:1", "GET", "/big\x1b", 200, 65536, "identity", 0.04, true});
    CHECK(out == "[00:00:00.000] [::1]:1 \"GET /big\\x1b\" 200 65536 identity 0.0ms cut-short\n");
}
