// handle() on tests/fixtures/site, without sockets: status, headers and body per request.
#include <doctest/doctest.h>

#include <filesystem>

#include "server/http/handler.hpp"
#include "server/http/policy.hpp"

using namespace wasmdev::http;

namespace {

Config fixture_config() {
    Config cfg;
    cfg.root = std::filesystem::canonical(WASMDEV_FIXTURES_DIR "/site");
    return cfg;
}

std::string header(ResponsePlan const& p, std::string_view name) {
    for (auto const& [n, v] : p.headers)
        if (iequals(n, name)) return v;
    return "(absent)";
}

ResponsePlan get(std::string_view target, Config const& cfg, std::vector<std::pair<std::string_view, std::string_view>> extra = {},
                 std::string_view method = "GET") {
    RequestHead req;
    req.method = method;
    req.target = target;
    req.fields = {{"Host", "localhost:8000"}};
    for (auto const& f : extra) req.fields.push_back(f);
    return handle(req, cfg);
}

void check_policy(ResponsePlan const& p) {
    CAPTURE(p.status);
    CHECK(header(p, "Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(header(p, "Cross-Origin-Embedder-Policy") == "require-corp");
    CHECK(header(p, "X-Content-Type-Options") == "nosniff");
    CHECK(header(p, "Cache-Control") == "no-cache");
}

}  // namespace

TEST_CASE("handle: files get exact types - validators and a file body") {
    auto cfg = fixture_config();
    auto wasm = get("/app.wasm", cfg);
    CHECK(wasm.status == 200);
    CHECK(header(wasm, "Content-Type") == "application/wasm");
    CHECK(header(wasm, "Accept-Ranges") == "bytes");
    CHECK(header(wasm, "ETag").starts_with("\""));
    CHECK(wasm.content_length == 8);
    REQUIRE(wasm.file);
    REQUIRE(wasm.parts.size() == 1);
    CHECK(wasm.parts[0].length == 8);
    check_policy(wasm);
    CHECK(header(get("/app.mjs", cfg), "Content-Type") == "text/javascript");
    auto awkward = get("/docs/a%20b%20%26%20%3Cc%3E%20%23%25.txt", cfg);
    CHECK(awkward.status == 200);
    CHECK(get("/docs/%C3%A9.txt", cfg).status == 200);
}

TEST_CASE("handle: policy headers on every status the pipeline produces") {
    auto cfg = fixture_config();
    struct Row { std::string_view method, target; unsigned status; };
    Row const rows[] = {{"GET", "/", 200},         {"GET", "/sub", 301},      {"GET", "/nope", 404},
                        {"GET", "/.env", 404},     {"POST", "/", 405},        {"OPTIONS", "*", 204},
                        {"GET", "/__wasmdev", 301}, {"GET", "/sub/", 200},     {"GET", "/a%00", 400}};
    for (auto const& row : rows) {
        CAPTURE(row.method);
        CAPTURE(row.target);
        auto p = get(row.target, cfg, {}, row.method);
        CHECK(p.status == row.status);
        check_policy(p);
    }
}

TEST_CASE("handle: HEAD has GET's headers and no body  OPTIONS and 405 carry Allow") {
    auto cfg = fixture_config();
    auto g = get("/app.wasm", cfg);
    auto h = get("/app.wasm", cfg, {}, "HEAD");
    CHECK(h.status == 200);
    CHECK_FALSE(h.send_body);
    CHECK(h.content_length == g.content_length);
    CHECK(h.headers == g.headers);
    CHECK(header(get("/", cfg, {}, "OPTIONS"), "Allow") == "GET, HEAD, OPTIONS");
    auto del = get("/app.wasm", cfg, {}, "DELETE");
    CHECK(del.status == 405);
    CHECK(header(del, "Allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("handle: directories redirect to the slash form - serve index.html - list - or refuse") {
    auto cfg = fixture_config();
    auto r = get("/sub?x=1", cfg);
    CHECK(r.status == 301);
    CHECK(header(r, "Location") == "/sub/?x=1");
    for (auto t : {"//sub", "/./sub", "/%2fsub", "/\\sub"}) {
        CAPTURE(t);
        auto p = get(t, cfg);
        auto loc = header(p, "Location");
        if (p.status == 301) {
            CHECK_FALSE(loc.starts_with("//"));
            CHECK_FALSE(loc.starts_with("/\\"));
        }
    }
    auto home = get("/", cfg);
    CHECK(home.status == 200);
    CHECK(home.content_length == 22);  // index.html
    auto listing = get("/docs/", cfg);
    CHECK(listing.status == 200);
    CHECK(listing.body.find("a b &amp; &lt;c&gt; #%.txt") != std::string::npos);
    CHECK(listing.body.find(".env") == std::string::npos);
    cfg.listing = false;
    CHECK(get("/docs/", cfg).status == 403);
    CHECK(get("/", cfg).status == 200);  // index.html still served
}

TEST_CASE("handle: Host check - framing and the self-check pages") {
    auto cfg = fixture_config();
    RequestHead req;
    req.method = "GET";
    req.target = "/app.wasm";
    req.fields = {{"Host", "evil.example"}};
    auto refused = handle(req, cfg);
    CHECK(refused.status == 403);
    CHECK(refused.body.find("--allow-host evil.example") != std::string::npos);
    check_policy(refused);
    cfg.allow_hosts = {"evil.example"};
    CHECK(handle(req, cfg).status == 200);

    req.fields = {};
    CHECK(handle(req, cfg).status == 400);  // HTTP/1.1 without Host
    req.version = 10;
    CHECK(handle(req, cfg).status == 200);  // HTTP/1.0 may omit it
    req.version = 11;
    req.fields = {{"Host", "localhost"}, {"Host", "localhost"}};
    CHECK(handle(req, cfg).status == 400);
    req.fields = {{"Host", "localhost"}, {"Transfer-Encoding", "gzip"}};
    auto te = handle(req, cfg);
    CHECK(te.status == 400);
    CHECK(te.close);

    auto page = get("/__wasmdev/", cfg);
    CHECK(page.status == 200);
    CHECK(header(page, "Content-Type") == "text/html; charset=utf-8");
    CHECK(page.static_body.find("Is this server set up for WebAssembly?") != std::string_view::npos);
    CHECK(header(get("/__wasmdev/selfcheck.wasm", cfg), "Content-Type") == "application/wasm");
    CHECK(get("/__wasmdev/nothing-here", cfg).status == 404);
}

TEST_CASE("handle: --header overrides - --coep off drops COEP") {
    auto cfg = fixture_config();
    cfg.extra_headers = {{"Cache-Control", "max-age=5"}};
    cfg.coep = CoepMode::off;
    auto p = get("/app.wasm", cfg);
    CHECK(header(p, "Cache-Control") == "max-age=5");
    CHECK(header(p, "Cross-Origin-Embedder-Policy") == "(absent)");
}
