// check's report rendering (server/check/render): one line per resource and per problem with
// its fix, the verdict line; JSON that parses whatever bytes a server sent.
#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "server/check/render.hpp"

using namespace wasmdev::check;

namespace {
Report sample() {
    Report r;
    r.page_url = "http://127.0.0.1:8000/";
    Observed o;
    o.url = "http://127.0.0.1:8000/app.wasm";
    o.kind = Kind::wasm;
    o.status = 200;
    o.headers = {{"Content-Type", "text/plain"}, {"Content-Length", "2048"}, {"X-Odd", "caf\xe9 \x1b[31m"}};
    r.resources.push_back(o);
    r.problems.push_back(
        {Severity::error, o.url, "mime", "Content-Type: text/plain: refused", "send application/wasm"});
    r.works = false;
    return r;
}
}  // namespace

TEST_CASE("render_text: a resource line, the problem and its fix, the verdict") {
    auto text = render_text(sample());
    CHECK(text.find("  200 wasm       text/plain") != std::string::npos);
    CHECK(text.find("2.0 KiB  http://127.0.0.1:8000/app.wasm\n") != std::string::npos);
    CHECK(text.find("  error: http://127.0.0.1:8000/app.wasm: mime: Content-Type: text/plain: refused\n"
                    "      fix: send application/wasm\n") != std::string::npos);
    CHECK(text.find("result: the page will not work (1 errors, 0 warnings, 0 notes)\n") != std::string::npos);
}

TEST_CASE("render_json: valid JSON with the verdict, headers by lower-case name, invalid UTF-8 replaced") {
    auto text = render_json(sample());
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    REQUIRE_FALSE(ec);
    CHECK(v.at("works").as_bool() == false);
    auto const& res = v.at("resources").as_array().at(0);
    CHECK(res.at("kind").as_string() == "wasm");
    CHECK(res.at("size").as_int64() == 2048);
    CHECK(res.at("headers").at("content-type").as_string() == "text/plain");
    CHECK(res.at("headers").at("x-odd").as_string() == "caf\xEF\xBF\xBD \x1b[31m");
    CHECK(v.at("problems").as_array().at(0).at("fix").as_string() == "send application/wasm");
}
