// Compression does not block everything else (docs/design.md#compression-lanes): while every compression thread is
// busy with a big file, a cold 3 KB script is still answered compressed at once, not after a
// big one finishes (it waited 9 s). Synchronised on the big responses' heads, which the server
// sends once their compressions have begun.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/compress/codec.hpp"
#include "server/sys/cpus.hpp"
#include "tests/integration/support.hpp"

using namespace wasmdev::test;
namespace compress = wasmdev::compress;

TEST_CASE("compression lanes: a cold small script is compressed at once while big compressions fill every thread") {
    TempTree dir;
    std::string script;
    while (script.size() < 3000) script += "export const answer = 42; // a line of a small module\n";
    dir.write("app.js", script);
    // One big file per compression thread: sparse (no disk), each minutes of gzip.
    unsigned const threads = wasmdev::sys::usable_cpus();
    for (unsigned i = 0; i < threads; ++i)
        std::filesystem::resize_file(dir.write("big" + std::to_string(i) + ".wasm", ""), 8ull << 30);
    auto cfg = config_for(dir.path);
    // Room for the big bodies in the bound (docs/design.md#compression-bound), or they would be sent as they are;
    // sparse zeros compress to almost nothing, so little of it is ever used.
    cfg.server.cache_bytes = std::size_t(threads + 1) * (9ull << 30);
    TestServer srv(cfg);
    std::vector<std::unique_ptr<RawClient>> big;
    for (unsigned i = 0; i < threads; ++i) {
        big.push_back(std::make_unique<RawClient>(srv.port(), 60s));
        big.back()->send(request_line("GET", "/big" + std::to_string(i) + ".wasm", {"Accept-Encoding: gzip"}));
    }
    for (auto& c : big) {  // every big compression is running: its head waits for its first bytes
        REQUIRE(c->wait_for("\r\n\r\n"));
        REQUIRE(c->wait_for("Content-Encoding: gzip"));
    }
    auto const started = std::chrono::steady_clock::now();
    RawClient small(srv.port(), 5s);  // far less than one big compression takes
    small.send(request_line("GET", "/app.js", {"Accept-Encoding: gzip"}));
    auto const r = small.read();
    auto const ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    MESSAGE("the 3 KB script took ", ms, " ms beside ", threads, " big compressions");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->header("Content-Encoding") == "gzip");
    CHECK(compress::decompress_all(compress::Coding::gzip, r->body) == script);
}
