// Live reload's injected page over real sockets (docs/reload.md, "The injected page"): read
// and injected once per file version, compressed once per coding by the cache's jobs, never
// for a HEAD; bytes, lengths and ETags consistent; a rewritten page gives the new bytes.
// Counted through /__wasmdev/stats.json, not timed.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "server/compress/codec.hpp"
#include "tests/integration/support.hpp"

using namespace wasmdev;
using namespace wasmdev::test;

namespace {

std::string const token = "00112233445566778899aabbccddeeff";
std::string const script = "<script src=\"/__wasmdev/reload.js?token=" + token + "\" defer></script>";

std::string page_of(char fill) {
    return "<!doctype html><html><head><title>t</title></head><body>" + std::string(8000, fill) + "</body></html>\n";
}

// A number in stats.json ("reload.pages_injected"); -1 when absent.
long stat_of(std::uint16_t port, std::string_view path) {
    return json_number(request(port, "GET", "/__wasmdev/stats.json").body, path);
}

}  // namespace

TEST_CASE("injected page: read once per version and compressed once per coding - never for a HEAD") {
    TempTree dir;
    dir.write("index.html", page_of('a'));
    auto cfg = config_for(dir.path);
    cfg.reload.enabled = true;
    cfg.reload.token = token;
    TestServer srv(cfg);
    auto const port = srv.port();
    std::string const injected = "<!doctype html><html><head>" + script + page_of('a').substr(27);

    // HEADs first, on a cold server: no read, no compression; no length to announce yet.
    for (int i = 0; i < 20; ++i) {
        for (auto const* accept : {"Accept-Encoding: gzip", "Accept-Encoding: identity"}) {
            RawClient c(port);
            c.send(request_line("HEAD", "/", {accept}));
            auto const r = c.read(true);
            REQUIRE(r);
            CHECK(r->status == 200);
        }
    }
    CHECK(stat_of(port, "reload.pages_injected") == 0);
    CHECK(stat_of(port, "compress_cache.compressions_started") == 0);

    // Many GETs: one read of the page, one compression for gzip.
    std::string identity_etag, gzip_etag;
    for (int i = 0; i < 20; ++i) {
        auto const plain = request(port, "GET", "/", {"Accept-Encoding: identity"});
        CHECK(plain.status == 200);
        CHECK(plain.body == injected);
        auto const gz = request(port, "GET", "/", {"Accept-Encoding: gzip"});
        CHECK(gz.status == 200);
        CHECK(gz.header("Content-Encoding") == "gzip");
        auto const inflated = compress::decompress_all(compress::Coding::gzip, gz.body);
        REQUIRE(inflated);
        CHECK(*inflated == injected);
        if (i == 0) identity_etag = plain.header("ETag"), gzip_etag = gz.header("ETag");
        CHECK(plain.header("ETag") == identity_etag);
        CHECK(gz.header("ETag") == gzip_etag);
        if (i > 0) CHECK(gz.header("Content-Length") == std::to_string(gz.body.size()));
    }
    CHECK(identity_etag != gzip_etag);
    CHECK(stat_of(port, "reload.pages_injected") == 1);
    CHECK(stat_of(port, "compress_cache.compressions_started") == 1);

    // HEADs now: the GET's headers, with its length, and still nothing read or compressed.
    auto const gz = request(port, "GET", "/", {"Accept-Encoding: gzip"});
    for (auto const* accept : {"Accept-Encoding: gzip", "Accept-Encoding: identity"}) {
        RawClient c(port);
        c.send(request_line("HEAD", "/", {accept}));
        auto const r = c.read(true);
        REQUIRE(r);
        bool const zipped = std::string_view(accept).ends_with("gzip");
        CHECK(r->header("ETag") == (zipped ? gzip_etag : identity_etag));
        CHECK(r->header("Content-Length") == std::to_string(zipped ? gz.body.size() : injected.size()));
    }
    CHECK(stat_of(port, "reload.pages_injected") == 1);
    CHECK(stat_of(port, "compress_cache.compressions_started") == 1);

    // A rewritten page: the new bytes, under a new ETag, read once more.
    dir.write("index.html.new", page_of('b'));
    std::filesystem::rename(dir.path / "index.html.new", dir.path / "index.html");
    auto const fresh = request(port, "GET", "/", {"Accept-Encoding: identity"});
    CHECK(fresh.body == "<!doctype html><html><head>" + script + page_of('b').substr(27));
    CHECK(fresh.header("ETag") != identity_etag);
    auto const fresh_gz = request(port, "GET", "/", {"Accept-Encoding: gzip"});
    auto const inflated = compress::decompress_all(compress::Coding::gzip, fresh_gz.body);
    REQUIRE(inflated);
    CHECK(*inflated == fresh.body);
    CHECK(stat_of(port, "reload.pages_injected") == 2);
    CHECK(stat_of(port, "compress_cache.compressions_started") == 2);
}
