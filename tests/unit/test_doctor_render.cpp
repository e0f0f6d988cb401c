// server/doctor/render: the text report quotes strings from the module (DWARF paths, section
// strings, names under ROOT); none of them reaches the terminal raw.
#include <doctest/doctest.h>

#include "server/doctor/render.hpp"

using namespace wasmdev::doctor;

TEST_CASE("render_text: DWARF and section strings with ESC, OSC and BEL are printed escaped") {
    Report r;
    r.module = "app\x1b[2J.wasm";
    r.module_url = "http://127.0.0.1:8000/app%1B%5B2J.wasm";
    r.kinds = {DebugKind::external_dwarf};
    r.debug_files.push_back(
        {"external_debug_info", "\x1b]0;pwned\x07.debug.wasm", "", "", false, false, "not a URL\x07"});
    Source s;
    s.path = "/elsewhere/\x1b[31mmain.c";
    s.cls = SourceClass::outside_root;
    r.sources.push_back(s);
    r.counts[std::size_t(SourceClass::outside_root)] = 1;
    r.findings.push_back({Severity::error, "the separate DWARF file \x1b]8;;http://evil/\x07 is missing", "fix \x9b"});
    RenderOptions o;  // no colour: the output must hold no control byte but the newlines
    auto text = render_text({r}, o);
    for (char c : text) {
        CAPTURE(int(static_cast<unsigned char>(c)));
        CHECK((c == '\n' || static_cast<unsigned char>(c) >= 0x20));
        CHECK(c != 0x7f);
    }
    CHECK(text.find("app\\x1b[2J.wasm") != std::string::npos);
    CHECK(text.find("\\x1b]0;pwned\\x07.debug.wasm") != std::string::npos);
    CHECK(text.find("/elsewhere/\\x1b[31mmain.c") != std::string::npos);
    CHECK(text.find("\\x1b]8;;http://evil/\\x07") != std::string::npos);
}

TEST_CASE("render_text: with colour, the only escapes are the report's own SGR codes") {
    Report r;
    r.module =
        "a\x1b"
        "b.wasm";
    RenderOptions o;
    o.color = true;
    auto text = render_text({r}, o);
    CHECK(text.find("a\\x1bb.wasm") != std::string::npos);
    CHECK(text.find("a\x1b"
                    "b") == std::string::npos);
}
