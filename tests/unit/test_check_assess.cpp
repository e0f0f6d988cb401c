// check's report from a walk (server/check/assess): what was not fetched never reads as a
// pass, and fixes name the deploy format the page's host or Server field suggests.
#include <doctest/doctest.h>

#include <algorithm>

#include "server/check/assess.hpp"

using namespace wasmdev::check;

namespace {
Observed page(std::vector<Header> headers) {
    Observed o;
    o.url = "http://127.0.0.1:8000/";
    o.kind = Kind::page;
    o.status = 200;
    o.headers = std::move(headers);
    return o;
}
std::vector<Header> const isolated{{"Content-Type", "text/html"},
                                   {"Cross-Origin-Opener-Policy", "same-origin"},
                                   {"Cross-Origin-Embedder-Policy", "require-corp"},
                                   {"Cache-Control", "no-cache"}};
}  // namespace

TEST_CASE("assess: a page that was never fetched fails, whatever else the walk says") {
    Crawl c;
    c.skipped.push_back("stopped after 2 s (the total time limit) while fetching http://127.0.0.1:8000/");
    Context ctx;
    ctx.page_url = "http://127.0.0.1:8000/";
    auto r = assess(c, ctx);
    CHECK_FALSE(r.works);
    REQUIRE_FALSE(r.problems.empty());
    CHECK(r.problems[0].topic == "fetch");
    CHECK(r.problems[0].what.find("stopped after 2 s") != std::string::npos);
}

TEST_CASE("assess: a limit that left resources out is a warning; errors sort first") {
    Crawl c;
    c.resources.push_back(page(isolated));
    c.skipped.push_back("3 more URL(s) not fetched: the limit is 1 requests");
    Observed wasm;
    wasm.url = "http://127.0.0.1:8000/a.wasm";
    wasm.kind = Kind::wasm;
    wasm.status = 404;
    c.resources.push_back(wasm);
    Context ctx;
    ctx.page_url = c.resources[0].url;
    auto r = assess(c, ctx);
    CHECK_FALSE(r.works);
    CHECK(r.isolated);
    REQUIRE(r.problems.size() == 2);
    CHECK(r.problems[0].severity == Severity::error);
    CHECK(r.problems[1].severity == Severity::warning);
    CHECK(r.problems[1].topic == "limits");
}

TEST_CASE("assess: fixes name the format the page's Server field suggests, unless one was asked for") {
    auto h = isolated;
    h.push_back({"Server", "nginx/1.22.1"});
    h = {h.begin() + 1, h.end()};  // no Content-Type: a problem with a fix
    Crawl c;
    c.resources.push_back(page(h));
    Context ctx;
    ctx.page_url = c.resources[0].url;
    auto r = assess(c, ctx);
    REQUIRE_FALSE(r.problems.empty());
    CHECK(r.problems[0].fix.find("`wasmdev deploy --format nginx`") != std::string::npos);
    ctx.deploy_format = "netlify";
    CHECK(assess(c, ctx).problems[0].fix.find("`wasmdev deploy --format netlify`") != std::string::npos);
}
