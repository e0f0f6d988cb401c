// server/text/terminal_escape: untrusted strings printed on a terminal cannot drive it.
#include <doctest/doctest.h>

#include "server/text/terminal_escape.hpp"

TEST_CASE("escape_terminal: controls are escaped, well-formed UTF-8 and backslashes stay") {
    struct Row {
        std::string_view in, out;
    };
    Row const rows[] = {
        {"/src/main.c", "/src/main.c"},
        {"C:\\src\\a.c", "C:\\src\\a.c"},
        {"\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J\\x1b]0;pwned\\x07"},  // clear screen, OSC title, BEL
        {"a\nb\rc\x7f", "a\\nb\\rc\\x7f"},
        {"caf\xc3\xa9/\xe6\x97\xa5.c", "caf\xc3\xa9/\xe6\x97\xa5.c"},
        {"\xc2\x9b"
         "31m",
         "\\u{009b}31m"},  // C1 CSI
        {"a\xe2\x80\xae"
         "b",
         "a\\u{202e}b"},             // right-to-left override
        {"\xff\xc3", "\\xff\\xc3"},  // not UTF-8
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(wasmdev::text::escape_terminal(row.in) == row.out);
    }
}
