// check's judges (server/check/judge): per resource status, MIME type, policy syntax,
// compression, caching and ranges; the page's cross-origin isolation over all resources; the
// deploy format named in fixes. Rows are responses as real servers send them.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "server/check/judge.hpp"

using namespace wasmdev::check;

namespace {

Observed response(std::string url, Kind kind, int status, std::vector<Header> headers) {
    Observed o;
    o.url = std::move(url);
    o.kind = kind;
    o.status = status;
    o.headers = std::move(headers);
    return o;
}

// The headers wasmdev serve sends on everything: a response that passes every rule.
std::vector<Header> good(std::string type, std::vector<Header> more = {}) {
    std::vector<Header> h{{"Content-Type", std::move(type)},
                          {"Cross-Origin-Opener-Policy", "same-origin"},
                          {"Cross-Origin-Embedder-Policy", "require-corp"},
                          {"Cross-Origin-Resource-Policy", "same-site"},
                          {"X-Content-Type-Options", "nosniff"},
                          {"Cache-Control", "no-cache"},
                          {"Content-Encoding", "br"},
                          {"Accept-Ranges", "bytes"}};
    h.insert(h.end(), more.begin(), more.end());
    return h;
}

std::vector<Header> without(std::vector<Header> h, std::string_view name) {
    h.erase(std::remove_if(h.begin(), h.end(), [&](auto const& x) { return x.name == name; }), h.end());
    return h;
}

std::vector<Header> with(std::vector<Header> h, std::string name, std::string value) {
    h = without(std::move(h), name);
    h.push_back({std::move(name), std::move(value)});
    return h;
}

Context ctx() {
    Context c;
    c.page_url = "http://127.0.0.1:8000/";
    return c;
}

bool has(std::vector<Problem> const& ps, Severity s, std::string_view topic, std::string_view fix_part = {}) {
    return std::any_of(ps.begin(), ps.end(), [&](auto const& p) {
        return p.severity == s && p.topic == topic && p.fix.find(fix_part) != std::string::npos;
    });
}

}  // namespace

TEST_CASE("judge_resource: a response as wasmdev serve sends it has no problem, whatever its kind") {
    struct Row {
        std::string url;
        Kind kind;
        std::string type;
    };
    Row const rows[] = {
        {"http://127.0.0.1:8000/", Kind::page, "text/html; charset=utf-8"},
        {"http://127.0.0.1:8000/app.js", Kind::script, "text/javascript"},
        {"http://127.0.0.1:8000/app.mjs", Kind::module, "text/javascript"},
        {"http://127.0.0.1:8000/worker.js", Kind::worker, "text/javascript"},
        {"http://127.0.0.1:8000/python.wasm", Kind::wasm, "application/wasm"},
        {"http://127.0.0.1:8000/python.data", Kind::data, "application/octet-stream"},
        {"http://127.0.0.1:8000/python.wasm.map", Kind::source_map, "application/json"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        auto ps =
            judge_resource(response(row.url, row.kind, 200, good(row.type, {{"Content-Length", "5000000"}})), ctx());
        for (auto const& p : ps) CAPTURE(p.what);
        CHECK(ps.empty());
    }
}

TEST_CASE("judge_resource: a wrong Content-Type is an error where the browser refuses it, a warning elsewhere") {
    struct Row {
        std::string url;
        Kind kind;
        std::string type;
        Severity severity;
        std::string fix;
    };
    Row const rows[] = {
        {"http://h/python.wasm", Kind::wasm, "text/plain", Severity::error, "Content-Type: application/wasm"},
        {"http://h/python.wasm", Kind::wasm, "application/wasm; charset=utf-8", Severity::error,
         ""},  // the parameter is ignored: no problem? see below
        {"http://h/app.mjs", Kind::module, "application/octet-stream", Severity::error, "text/javascript"},
        {"http://h/worker.js", Kind::worker, "text/plain", Severity::error, "text/javascript"},
        {"http://h/app.js", Kind::script, "text/plain", Severity::error, "text/javascript"},  // nosniff is sent
        {"http://h/app.js", Kind::script, "application/javascript", Severity::note, ""},
        {"http://h/python.data", Kind::data, "text/plain", Severity::warning, "application/octet-stream"},
        {"http://h/", Kind::page, "text/plain", Severity::error, "text/html"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        CAPTURE(row.type);
        auto ps = judge_resource(response(row.url, row.kind, 200, good(row.type)), ctx());
        if (row.type == "application/wasm; charset=utf-8") {
            // The essence matches: mime/'s table has no parameter, and Chromium compares the
            // essence too (a charset still fails streaming: a known limit of this rule).
            CHECK_FALSE(has(ps, Severity::error, "mime"));
            continue;
        }
        CHECK(has(ps, row.severity, "mime", row.fix));
    }
}

TEST_CASE("judge_resource: a classic script with a non-JavaScript type only warns without nosniff") {
    auto h = without(good("text/plain"), "X-Content-Type-Options");
    auto ps = judge_resource(response("http://h/app.js", Kind::script, 200, h), ctx());
    CHECK(has(ps, Severity::warning, "mime"));
    CHECK_FALSE(has(ps, Severity::error, "mime"));
}

TEST_CASE("judge_resource: a failed status is an error for what the page needs, a warning for a source map") {
    struct Row {
        Kind kind;
        int status;
        Severity severity;
    };
    Row const rows[] = {
        {Kind::wasm, 404, Severity::error},   {Kind::module, 500, Severity::error},
        {Kind::worker, 403, Severity::error}, {Kind::source_map, 404, Severity::warning},
        {Kind::data, 302, Severity::error},
    };
    for (auto const& row : rows) {
        CAPTURE(row.status);
        auto ps = judge_resource(response("http://h/x", row.kind, row.status, good("text/plain")), ctx());
        CHECK(has(ps, row.severity, "status"));
    }
    auto head_refused = response("https://cdn.example/x.js", Kind::script, 405, {});
    head_refused.cross_origin = true;
    CHECK(has(judge_resource(head_refused, ctx()), Severity::note, "status"));
    CHECK(page_works(judge_resource(head_refused, ctx())));
    Observed down = response("http://h/x.wasm", Kind::wasm, 0, {});
    down.error = "connection refused";
    auto ps = judge_resource(down, ctx());
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].topic == "fetch");
    CHECK(ps[0].severity == Severity::error);
}

TEST_CASE("parse_policy: one token (with parameters) is valid; a list, an unknown word or nothing is not") {
    struct Row {
        std::vector<Header> headers;
        PolicyValue::State state;
        std::string token;
    };
    Row const rows[] = {
        {{{"Cross-Origin-Opener-Policy", "same-origin"}}, PolicyValue::State::valid, "same-origin"},
        {{{"cross-origin-opener-policy", " Same-Origin "}}, PolicyValue::State::valid, "same-origin"},
        {{{"Cross-Origin-Opener-Policy", "same-origin; report-to=\"x\""}}, PolicyValue::State::valid, "same-origin"},
        {{{"Cross-Origin-Opener-Policy", "same-origin, same-origin"}}, PolicyValue::State::invalid, ""},
        {{{"Cross-Origin-Opener-Policy", "same-origin"}, {"Cross-Origin-Opener-Policy", "same-origin"}},
         PolicyValue::State::invalid,
         ""},
        {{{"Cross-Origin-Opener-Policy", "\"same-origin\""}}, PolicyValue::State::invalid, ""},
        {{{"Cross-Origin-Opener-Policy", "sameorigin"}}, PolicyValue::State::invalid, ""},
        {{{"Cross-Origin-Opener-Policy", ""}}, PolicyValue::State::invalid, ""},
        {{}, PolicyValue::State::absent, ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.headers.size());
        auto p = parse_policy(row.headers, "Cross-Origin-Opener-Policy");
        CHECK(p.state == row.state);
        CHECK(p.token == row.token);
    }
}

TEST_CASE("judge_resource: a doubled COOP on the page is an error saying to send it once") {
    auto h = with(good("text/html"), "Cross-Origin-Opener-Policy", "same-origin, same-origin");
    auto ps = judge_resource(response("http://h/", Kind::page, 200, h), ctx());
    CHECK(has(ps, Severity::error, "header", "send Cross-Origin-Opener-Policy once"));
}

TEST_CASE("judge_resource: compressible bodies above 1 KiB sent uncompressed warn, small ones and images do not") {
    struct Row {
        std::string url;
        Kind kind;
        std::string length;
        bool warns;
    };
    Row const rows[] = {
        {"http://h/python.wasm", Kind::wasm, "9000000", true}, {"http://h/app.js", Kind::script, "2000", true},
        {"http://h/python.data", Kind::data, "2000", true},    {"http://h/app.js", Kind::script, "1024", false},
        {"http://h/logo.png", Kind::other, "90000", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        CAPTURE(row.length);
        auto h = with(without(good(""), "Content-Encoding"), "Content-Length", row.length);
        auto ps = judge_resource(response(row.url, row.kind, 200, h), ctx());
        CHECK(has(ps, Severity::warning, "compression") == row.warns);
    }
}

TEST_CASE("judge_resource: HTML must revalidate; long caching only for content-hashed names") {
    struct Row {
        std::string url;
        Kind kind;
        std::string cache_control;
        bool warns;
    };
    Row const rows[] = {
        {"http://h/", Kind::page, "no-cache", false},
        {"http://h/", Kind::page, "max-age=0, must-revalidate", false},
        {"http://h/", Kind::page, "no-store", false},
        {"http://h/", Kind::page, "max-age=3600", true},
        {"http://h/", Kind::page, "", true},
        {"http://h/app.js", Kind::script, "max-age=31536000, immutable", true},
        {"http://h/app.3f2a9c1e.js", Kind::script, "max-age=31536000, immutable", false},
        {"http://h/python-0123abcd.wasm", Kind::wasm, "max-age=31536000", false},
        {"http://h/python.wasm", Kind::wasm, "max-age=600", false},
        {"http://h/python.wasm", Kind::wasm, "public, max-age=86400", true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        CAPTURE(row.cache_control);
        auto h = row.cache_control.empty() ? without(good("x"), "Cache-Control")
                                           : with(good("x"), "Cache-Control", row.cache_control);
        auto ps = judge_resource(response(row.url, row.kind, 200, h), ctx());
        CHECK(has(ps, Severity::warning, "cache") == row.warns);
    }
}

TEST_CASE("judge_resource: a large .wasm or .data should answer a Range request with 206") {
    struct Row {
        std::string length;
        std::optional<int> range_status;
        bool accept_ranges;
        bool warns;
    };
    Row const rows[] = {
        {"5000000", 206, false, false},
        {"5000000", 200, true, true},  // the probe is what the server does: it said bytes, sent 200
        {"5000000", std::nullopt, true, false},
        {"5000000", std::nullopt, false, true},
        {"5000", 200, false, false},  // small: ranges do not matter
    };
    for (auto const& row : rows) {
        CAPTURE(row.length);
        auto h = with(good("application/wasm"), "Content-Length", row.length);
        if (!row.accept_ranges) h = without(h, "Accept-Ranges");
        auto o = response("http://h/python.wasm", Kind::wasm, 200, h);
        o.range_status = row.range_status;
        CHECK(has(judge_resource(o, ctx()), Severity::warning, "ranges") == row.warns);
    }
}

TEST_CASE("judge_resource: the file's own size decides whether ranges matter, not its compressed length") {
    auto h = with(good("application/wasm"), "Content-Length", "59");  // 3 MB of zeros, br
    auto o = response("http://h/python.wasm", Kind::wasm, 200, h);
    o.range_status = 200;
    CHECK_FALSE(has(judge_resource(o, ctx()), Severity::warning, "ranges"));
    o.identity_size = 3000000;
    CHECK(has(judge_resource(o, ctx()), Severity::warning, "ranges"));
    o.range_status = 206;
    CHECK_FALSE(has(judge_resource(o, ctx()), Severity::warning, "ranges"));
}

TEST_CASE("judge_isolation: COOP same-origin and COEP on the page, and COEP on every worker") {
    auto page = response("http://127.0.0.1:8000/", Kind::page, 200, good("text/html"));
    auto worker = response("http://127.0.0.1:8000/worker.js", Kind::worker, 200, good("text/javascript"));
    auto wasm = response("http://127.0.0.1:8000/app.wasm", Kind::wasm, 200, good("application/wasm"));
    {
        auto v = judge_isolation({page, worker, wasm}, ctx());
        CHECK(v.isolated);
        CHECK(v.problems.empty());
    }
    {
        auto bare = worker;
        bare.headers = without(bare.headers, "Cross-Origin-Embedder-Policy");
        auto v = judge_isolation({page, bare, wasm}, ctx());
        CHECK(has(v.problems, Severity::error, "isolation", "Cross-Origin-Embedder-Policy: require-corp on worker"));
    }
    struct Row {
        std::string coop;
        std::string coep;
        bool isolated;
    };
    Row const rows[] = {
        {"same-origin", "require-corp", true},
        {"same-origin", "credentialless", true},
        {"same-origin-allow-popups", "require-corp", false},
        {"same-origin, same-origin", "require-corp", false},
        {"same-origin", "", false},
        {"", "require-corp", false},
        {"same-origin", "unsafe-none", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.coop);
        CAPTURE(row.coep);
        auto p = page;
        p.headers = row.coop.empty() ? without(p.headers, "Cross-Origin-Opener-Policy")
                                     : with(p.headers, "Cross-Origin-Opener-Policy", row.coop);
        p.headers = row.coep.empty() ? without(p.headers, "Cross-Origin-Embedder-Policy")
                                     : with(p.headers, "Cross-Origin-Embedder-Policy", row.coep);
        auto v = judge_isolation({p}, ctx());
        CHECK(v.isolated == row.isolated);
        CHECK(page_works(v.problems) == row.isolated);
        auto c = ctx();
        c.isolation_required = false;
        CHECK(page_works(judge_isolation({p}, c).problems));  // --no-isolation: notes only
    }
}

TEST_CASE("judge_isolation: plain http is isolated only on localhost and loopback addresses") {
    struct Row {
        std::string url;
        bool isolated;
    };
    Row const rows[] = {
        {"http://127.0.0.1:8000/", true}, {"http://localhost:8000/", true},     {"http://app.localhost/", true},
        {"https://example.com/", true},   {"http://192.168.1.20:8000/", false}, {"http://example.com/", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        CHECK(judge_isolation({response(row.url, Kind::page, 200, good("text/html"))}, ctx()).isolated == row.isolated);
    }
}

TEST_CASE("judge_isolation: under require-corp a cross-origin subresource needs CORP cross-origin or CORS") {
    auto page = response("https://app.example/", Kind::page, 200, good("text/html"));
    struct Row {
        Kind kind;
        std::vector<Header> headers;
        bool blocked;
    };
    Row const rows[] = {
        {Kind::script, {{"Content-Type", "text/javascript"}}, true},
        {Kind::script, {{"Content-Type", "text/javascript"}, {"Cross-Origin-Resource-Policy", "cross-origin"}}, false},
        {Kind::script, {{"Content-Type", "text/javascript"}, {"Access-Control-Allow-Origin", "*"}}, false},
        {Kind::wasm, {{"Content-Type", "application/wasm"}, {"Cross-Origin-Resource-Policy", "same-origin"}}, true},
        {Kind::module, {{"Content-Type", "text/javascript"}, {"Cross-Origin-Resource-Policy", "cross-origin"}}, true},
        {Kind::module,
         {{"Content-Type", "text/javascript"}, {"Access-Control-Allow-Origin", "https://app.example"}},
         false},
    };
    for (auto const& row : rows) {
        CAPTURE(to_string(row.kind));
        CAPTURE(row.headers.size());
        auto o = response("https://cdn.example/lib.js", row.kind, 200, row.headers);
        o.cross_origin = true;
        auto v = judge_isolation({page, o}, ctx());
        CHECK(has(v.problems, Severity::error, "isolation") == row.blocked);
    }
}

TEST_CASE("is_content_hashed: a separator, 8+ hex digits, then only extensions") {
    struct Row {
        std::string_view name;
        bool hashed;
    };
    Row const rows[] = {
        {"app.3f2a9c1e.js", true},
        {"python-0123abcd.wasm", true},
        {"/a/b/chunk.0123456789abcdef.mjs", true},
        {"x.deadbeef.wasm.map", true},
        {"app.js", false},
        {"python.wasm", false},
        {"app.3f2a9c1.js", false},
        {"app.3f2a9c1ez.js", false},
        {"deadbeef.js", false},
        {"app.3f2a9c1e", false},
        {"app.3f2a9c1e.", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        CHECK(is_content_hashed(row.name) == row.hashed);
    }
}

TEST_CASE("suggest_format: the host's name first, then its Server field") {
    struct Row {
        std::string_view server;
        std::string_view host;
        std::string_view format;
    };
    Row const rows[] = {
        {"GitHub.com", "me.github.io", "github-pages"},
        {"Netlify", "x.netlify.app", "netlify"},
        {"cloudflare", "x.pages.dev", "cloudflare"},
        {"Vercel", "x.vercel.app", "vercel"},
        {"", "x.web.app", "firebase"},
        {"nginx/1.22.1", "example.com", "nginx"},
        {"Apache/2.4.57 (Debian)", "example.com", "apache"},
        {"Caddy", "example.com", "caddy"},
        {"wasmdev", "127.0.0.1", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CHECK(suggest_format(row.server, row.host) == row.format);
    }
    CHECK(deploy_hint("nginx").find("wasmdev deploy --format nginx") != std::string::npos);
    CHECK(deploy_hint("").find("netlify|cloudflare|vercel|firebase|github-pages|apache|nginx|caddy") !=
          std::string::npos);
}

TEST_CASE("is_javascript_type: every JavaScript MIME type essence, parameters and case ignored") {
    CHECK(is_javascript_type("text/javascript"));
    CHECK(is_javascript_type("Application/JavaScript; charset=utf-8"));
    CHECK(is_javascript_type("text/ecmascript"));
    CHECK_FALSE(is_javascript_type("text/plain"));
    CHECK_FALSE(is_javascript_type("application/json"));
    CHECK_FALSE(is_javascript_type(""));
}
