// server/doctor/render: the text report quotes strings from the module (DWARF paths, section
// strings, names under ROOT); none of them reaches the terminal raw.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

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

TEST_CASE(
    "render_json: module names, DWARF paths and findings with quotes, controls and invalid UTF-8 are valid JSON") {
    // A file name under ROOT and the paths in a module's DWARF are any bytes.
    std::string const odd = std::string("we\"ird\\name\n\x01\xFF\xC3") + '\0' + ".wasm";
    Report r;
    r.module = odd;
    r.module_url = "http://127.0.0.1:8000/we%22ird.wasm";
    r.kinds = {DebugKind::external_dwarf};
    r.debug_files.push_back({"external_debug_info", odd, "", odd, false, false, odd});
    Source s;
    s.path = "/src/\xE9t\xE9/main.c";  // Latin-1, as an old compiler may have written it
    s.cls = SourceClass::outside_root;
    r.sources.push_back(s);
    r.substitutions.push_back({odd, "http://127.0.0.1:8000/"});
    r.findings.push_back({Severity::error, odd, odd});
    RenderOptions o;
    o.root = "/home/\xFFroot";
    o.root_url = "http://127.0.0.1:8000/";
    auto const text = render_json({r}, o);
    CAPTURE(text);
    boost::system::error_code ec;
    auto const v = boost::json::parse(text, ec);  // Boost.JSON's parser rejects invalid UTF-8
    REQUIRE_FALSE(ec);
    auto const replaced = std::string("we\"ird\\name\n\x01\xEF\xBF\xBD\xEF\xBF\xBD") + '\0' + ".wasm";
    auto const& m = v.at("modules").at(0);
    CHECK(m.at("module").as_string() == replaced);
    CHECK(m.at("debug_files").at(0).at("reference").as_string() == replaced);
    CHECK(m.at("sources").at(0).at("path").as_string() == "/src/\xEF\xBF\xBDt\xEF\xBF\xBD/main.c");
    CHECK(m.at("findings").at(0).at("fix").as_string() == replaced);
    CHECK(v.at("root").as_string() == "/home/\xEF\xBF\xBDroot");
    CHECK(text.ends_with("}\n"));

    boost::json::parse(substitutions_json(r.substitutions), ec);
    CHECK_FALSE(ec);
}
