// The warning line about a request: the target and the note escaped exactly as the access
// line escapes a target, so control, C1 and bidi characters never reach the terminal raw.
#include <doctest/doctest.h>

#include "server/http/access_line.hpp"
#include "server/http/request_warning.hpp"

using namespace wasmdev::http;

TEST_CASE("request_warning: the target is escaped exactly as on the access line") {
    struct Row {
        std::string_view target;
        std::string_view shown;
    };
    Row const rows[] = {
        {"/app.wasm", "/app.wasm"},
        {"/evil\xE2\x80\xAEtxt.wasm", "/evil\\u{202e}txt.wasm"},  // RIGHT-TO-LEFT OVERRIDE
        {"/a\xC2\x85"
         "b.wasm",
         "/a\\u{0085}b.wasm"},                                             // NEL, a C1 control
        {"/\xE2\x81\xA6x\xE2\x81\xA9.wasm", "/\\u{2066}x\\u{2069}.wasm"},  // bidi isolates
        {"/\x1B[31mred.wasm", "/\\x1b[31mred.wasm"},                       // an ANSI escape
        {"/bad\xFF.wasm", "/bad\\xff.wasm"},                               // not UTF-8
        {"/caf\xC3\xA9.wasm", "/caf\xC3\xA9.wasm"},                        // harmless UTF-8 stays
        {"/q\"uote\\.wasm", "/q\\\"uote\\\\.wasm"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto const line = request_warning(row.target, "a .wasm was requested that does not exist");
        CHECK(line == std::string(row.shown) + " a .wasm was requested that does not exist");
        std::string access;
        append_log_escaped(access, row.target);
        CHECK(line.starts_with(access + " "));
    }
}

TEST_CASE("request_warning: a note quoting a name from the tree is escaped too") {
    CHECK(request_warning("/m.wasm", "names \xE2\x80\xAEgubed.wasm as its debug file") ==
          "/m.wasm names \\u{202e}gubed.wasm as its debug file");
}
