// handle() and the serve-time diagnosis hooks (docs/design.md#serve-diagnosis): the watch hears of every wasm module
// answered (200, 206, 304) and of every 404, and its explanation becomes the 404's log line;
// /__wasmdev/modules.json is its list. On tests/fixtures/site, no sockets.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/http/handler.hpp"

using namespace wasmdev::http;
namespace fs = std::filesystem;

namespace {

struct Recorder {
    std::vector<std::pair<std::string, std::string>> served{};
    std::vector<std::string> missing{};
    std::string origin{};
    ModuleWatch watch() {
        ModuleWatch w;
        w.served = [this](std::string_view path, std::string_view rel) { served.emplace_back(path, rel); };
        w.not_found = [this](std::string_view path) -> std::optional<std::string> {
            missing.emplace_back(path);
            if (path == "/app.wasm.debug.wasm") return std::string("explained");
            return std::nullopt;
        };
        w.modules_json = [this](std::string_view o) {
            origin = std::string(o);
            return std::string("{\"modules\":[\"x\"]}");
        };
        return w;
    }
};

ResponsePlan get(std::string_view target, ModuleWatch const& w,
                 std::vector<std::pair<std::string_view, std::string_view>> extra = {}) {
    static Config cfg = [] {
        Config c;
        c.root = fs::canonical(WASMDEV_FIXTURES_DIR "/site");
        return c;
    }();
    Services services;
    services.modules = &w;
    RequestHead req;
    req.method = "GET";
    req.target = target;
    req.fields = {{"Host", "127.0.0.1:8000"}};
    for (auto const& f : extra) req.fields.push_back(f);
    return handle(req, cfg, services);
}

}  // namespace

TEST_CASE("handle: a wasm module answered is reported to the watch with its decoded path; other files are not") {
    Recorder r;
    auto w = r.watch();
    CHECK(get("/app.wasm", w).status == 200);
    CHECK(get("/app.js", w).status == 200);
    REQUIRE(r.served.size() == 1);
    CHECK(r.served[0].first == "/app.wasm");
    CHECK(r.served[0].second == "app.wasm");
    // A revalidation counts too: the page loaded the module (from its cache).
    auto first = get("/app.wasm", w);
    std::string etag;
    for (auto const& [n, v] : first.headers)
        if (n == "ETag") etag = v;
    REQUIRE(!etag.empty());
    CHECK(get("/app.wasm", w, {{"If-None-Match", etag}}).status == 304);
    CHECK(r.served.size() == 3);
}

TEST_CASE("handle: a 404 asks the watch, and its explanation is the line the server logs") {
    Recorder r;
    auto w = r.watch();
    auto p = get("/app.wasm.debug.wasm", w);
    CHECK(p.status == 404);
    CHECK(p.log_note == "explained");
    auto q = get("/nothing%20here.txt", w);
    CHECK(q.status == 404);
    CHECK(q.log_note.empty());
    CHECK(r.missing == std::vector<std::string>{"/app.wasm.debug.wasm", "/nothing here.txt"});
}

TEST_CASE("handle: /__wasmdev/modules.json is the watch's list for the origin the browser used") {
    Recorder r;
    auto w = r.watch();
    auto p = get("/__wasmdev/modules.json", w);
    CHECK(p.status == 200);
    CHECK(std::get<TextBody>(p.body).bytes == "{\"modules\":[\"x\"]}");
    CHECK(r.origin == "http://127.0.0.1:8000");
}

TEST_CASE("handle: under --tls, /__wasmdev/modules.json's origin is https, the scheme the page was served with") {
    Recorder r;
    auto w = r.watch();
    Config cfg;
    cfg.root = fs::canonical(WASMDEV_FIXTURES_DIR "/site");
    cfg.tls.enabled = true;
    Services services;
    services.modules = &w;
    RequestHead req;
    req.method = "GET";
    req.target = "/__wasmdev/modules.json";
    req.fields = {{"Host", "localhost:8443"}};
    CHECK(handle(req, cfg, services).status == 200);
    CHECK(r.origin == "https://localhost:8443");
}

TEST_CASE("handle: a 404 the watch has explained before (\"\") logs nothing, not the generic missing-.wasm line") {
    ModuleWatch w;
    w.not_found = [](std::string_view) -> std::optional<std::string> { return std::string(); };
    auto p = get("/gone.debug.wasm", w);
    CHECK(p.status == 404);
    CHECK(p.log_note.empty());
}
