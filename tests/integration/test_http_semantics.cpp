// Integration tests of docs/design.md#compression over real sockets: compression round trips on a large
// file, the compress-once cache under concurrency, validators and 304s, ranges, and
// files rewritten between requests.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <random>
#include <thread>

#include "server/compress/codec.hpp"
#include "tests/integration/support.hpp"
#include "tests/support/file_clock.hpp"

using namespace wasmdev;
using namespace wasmdev::test;

namespace {

// Compresses about 3:1 like a real wasm: runs of text among random bytes.
std::string wasm_like(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string s;
    s.reserve(n);
    while (s.size() < n) {
        if (gen() % 6 == 0) {
            for (int i = 0; i < 8 && s.size() < n; ++i) s += char(gen() & 0xff);
        } else {
            static constexpr std::string_view words[] = {"i32.add ", "local.get ", "call $f", "memory ", "PyObject "};
            s += words[gen() % 5];
        }
    }
    s.resize(n);
    return s;
}

std::optional<compress::Coding> coding_named(std::string_view s) {
    for (auto c : {compress::Coding::gzip, compress::Coding::deflate, compress::Coding::br, compress::Coding::zstd})
        if (compress::to_string(c) == s) return c;
    return std::nullopt;
}

}  // namespace

TEST_CASE("compression: a 32 MB wasm round-trips byte-exact in gzip - deflate - br and zstd - cold and warm") {
    TempTree dir;
    auto const bytes = wasm_like(32 << 20, 1);
    dir.write("python.wasm", bytes);
    TestServer srv(config_for(dir.path));
    for (std::string_view coding : {"gzip", "deflate", "br", "zstd"}) {
        for (std::string_view pass : {"cold", "warm"}) {
            CAPTURE(coding);
            CAPTURE(pass);
            auto r = request(srv.port(), "GET", "/python.wasm", {"Accept-Encoding: " + std::string(coding)});
            REQUIRE(r.status == 200);
            CHECK(r.header("Content-Encoding") == coding);
            CHECK(r.header("Content-Type") == "application/wasm");
            CHECK(r.header("Vary") == "Accept-Encoding");
            CHECK(r.body.size() < bytes.size() / 2);
            CHECK(compress::decompress_all(*coding_named(coding), r.body) == bytes);
        }
    }
    auto identity = request(srv.port(), "GET", "/python.wasm");
    CHECK_FALSE(identity.has("Content-Encoding"));
    CHECK(identity.header("Vary") == "Accept-Encoding");
    CHECK(identity.body == bytes);
}

// The head of a streamed response (200, chunked) is out before the body exists; when the
// file is cut short under the compressor, the only honest ending is a dropped connection:
// a terminating chunk would tell the browser a truncated body is complete.
TEST_CASE("compression: a file cut short while its body streams ends the connection - never the body") {
    TempTree dir;
    dir.write("python.wasm", wasm_like(64 << 20, 9));
    TestServer srv(config_for(dir.path));
    RawClient c(srv.port(), 20s);
    c.send(request_line("GET", "/python.wasm", {"Accept-Encoding: gzip"}));
    REQUIRE(c.wait_for("\r\n\r\n"));  // the head is out: the body streams from the compressor
    std::filesystem::resize_file(dir.path / "python.wasm", 1 << 20);
    auto const started = std::chrono::steady_clock::now();
    auto r = c.read();
    CHECK_FALSE(r);  // not a complete response: the client sees the body cut short
    CHECK(std::chrono::steady_clock::now() - started < 15s);  // closed by the server, not timed out
    // The next request gets the file as it is now.
    auto again = request(srv.port(), "GET", "/python.wasm", {"Accept-Encoding: gzip"});
    REQUIRE(again.status == 200);
    CHECK(compress::decompress_all(compress::Coding::gzip, again.body)->size() == (1u << 20));
}

TEST_CASE("compression: 16 concurrent clients of one uncached file get correct bytes from one compression") {
    TempTree dir;
    auto const bytes = wasm_like(8 << 20, 2);
    dir.write("app.wasm", bytes);
    TestServer srv(config_for(dir.path));
    std::vector<std::string> bodies(16);
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < bodies.size(); ++i)
        clients.emplace_back(
            [&, i] { bodies[i] = request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip"}).body; });
    for (auto& t : clients) t.join();
    for (auto const& b : bodies) CHECK(compress::decompress_all(compress::Coding::gzip, b) == bytes);
    auto stats = request(srv.port(), "GET", "/__wasmdev/stats.json");
    CHECK(json_number(stats.body, "compress_cache.compressions_started") == 1);
    CHECK(json_number(stats.body, "compress_cache.hits") == 15);
}

TEST_CASE("compression: small - incompressible and ranged responses are sent as is") {
    TempTree dir;
    dir.write("tiny.js", "let x = 1;");
    dir.write("photo.png", wasm_like(100000, 3));
    dir.write("app.wasm", wasm_like(100000, 4));
    TestServer srv(config_for(dir.path));
    auto tiny = request(srv.port(), "GET", "/tiny.js", {"Accept-Encoding: gzip"});
    CHECK_FALSE(tiny.has("Content-Encoding"));
    auto png = request(srv.port(), "GET", "/photo.png", {"Accept-Encoding: gzip"});
    CHECK_FALSE(png.has("Content-Encoding"));
    CHECK_FALSE(png.has("Vary"));
    auto ranged = request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip", "Range: bytes=10-19"});
    CHECK(ranged.status == 206);
    CHECK_FALSE(ranged.has("Content-Encoding"));
    CHECK(ranged.body == wasm_like(100000, 4).substr(10, 10));
    auto refused = request(srv.port(), "GET", "/app.wasm",
                           {"Accept-Encoding: identity;q=0, br;q=0, zstd;q=0, gzip;q=0, deflate;q=0"});
    CHECK(refused.status == 406);
}

TEST_CASE("validators: ETag per coding - 304 with Vary and the policy headers - Last-Modified") {
    TempTree dir;
    dir.write("app.js", wasm_like(50000, 5));
    TestServer srv(config_for(dir.path));
    auto plain = request(srv.port(), "GET", "/app.js");
    auto gz = request(srv.port(), "GET", "/app.js", {"Accept-Encoding: gzip"});
    auto etag = plain.header("ETag");
    CHECK(etag.starts_with("\""));
    CHECK(gz.header("ETag") != etag);
    CHECK(plain.header("Cache-Control") == "no-cache");
    CHECK_FALSE(plain.header("Last-Modified").empty());

    auto again = request(srv.port(), "GET", "/app.js", {"If-None-Match: " + etag});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(again.header("ETag") == etag);
    CHECK(again.header("Vary") == "Accept-Encoding");
    CHECK(again.header("Cross-Origin-Embedder-Policy") == "require-corp");
    CHECK(again.header("Cross-Origin-Opener-Policy") == "same-origin");

    auto gz_again =
        request(srv.port(), "GET", "/app.js", {"Accept-Encoding: gzip", "If-None-Match: " + gz.header("ETag")});
    CHECK(gz_again.status == 304);
    auto cross = request(srv.port(), "GET", "/app.js", {"Accept-Encoding: gzip", "If-None-Match: " + etag});
    CHECK(cross.status == 200);  // the identity tag does not validate the gzip representation

    auto since = request(srv.port(), "GET", "/app.js", {"If-Modified-Since: " + plain.header("Last-Modified")});
    CHECK(since.status == 304);
    auto head = request(srv.port(), "HEAD", "/app.js", {"If-None-Match: " + etag});
    CHECK(head.status == 304);
}

TEST_CASE("validators: a file rewritten in place or by rename yields new bytes and a new ETag") {
    TempTree dir;
    auto path = dir.write("python.wasm", wasm_like(200000, 6));
    TestServer srv(config_for(dir.path));
    for (std::string_view coding : {"identity", "gzip"}) {
        CAPTURE(coding);
        auto enc = "Accept-Encoding: " + std::string(coding);
        auto first = request(srv.port(), "GET", "/python.wasm", {enc});
        REQUIRE(wait_past_file_times(path));             // the rewrite gets new times, as a later save would
        dir.write("python.wasm", wasm_like(200000, 7));  // in place, same size
        auto second = request(srv.port(), "GET", "/python.wasm", {enc, "If-None-Match: " + first.header("ETag")});
        CHECK(second.status == 200);
        CHECK(second.header("ETag") != first.header("ETag"));
        auto body = coding == "gzip" ? *compress::decompress_all(compress::Coding::gzip, second.body) : second.body;
        CHECK(body == wasm_like(200000, 7));

        dir.write("python.wasm.new", wasm_like(210000, 8));
        std::filesystem::rename(dir.path / "python.wasm.new", path);  // by rename
        auto third = request(srv.port(), "GET", "/python.wasm", {enc, "If-None-Match: " + second.header("ETag")});
        CHECK(third.status == 200);
        CHECK(third.header("ETag") != second.header("ETag"));
        body = coding == "gzip" ? *compress::decompress_all(compress::Coding::gzip, third.body) : third.body;
        CHECK(body == wasm_like(210000, 8));
        dir.write("python.wasm", wasm_like(200000, 6));
    }
}

TEST_CASE("validators: a file rewritten in place with the same size and its old mtime restored is never stale") {
    // cp -p, touch -r and reproducible builds set mtime back; only ctime tells the versions apart.
    TempTree dir;
    auto path = dir.write("python.wasm", wasm_like(200000, 6));
    struct stat before {};
    REQUIRE(::stat(path.c_str(), &before) == 0);
    TestServer srv(config_for(dir.path));
    for (std::string_view coding : {"identity", "gzip"}) {
        CAPTURE(coding);
        auto enc = "Accept-Encoding: " + std::string(coding);
        auto first = request(srv.port(), "GET", "/python.wasm", {enc});
        REQUIRE(first.status == 200);
        // The compressed body is cached once complete: asked again until it is served from the
        // cache (with a length), within 10 s for a 200 KB body.
        if (coding == "gzip")
            REQUIRE(eventually([&] { return request(srv.port(), "GET", "/python.wasm", {enc}).has("Content-Length"); },
                               10s));
        // Only ctime can tell the versions apart, so it must move: past the clock's tick.
        REQUIRE(wait_past_file_times(path));
        auto const next = wasm_like(200000, coding == "gzip" ? 9 : 8);
        dir.write("python.wasm", next);  // in place, same size
        timespec const times[2] = {before.st_atim, before.st_mtim};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
        auto second = request(srv.port(), "GET", "/python.wasm", {enc, "If-None-Match: " + first.header("ETag")});
        CHECK(second.status == 200);
        CHECK(second.header("ETag") != first.header("ETag"));
        CHECK(second.header("Content-Encoding") == (coding == "gzip" ? "gzip" : ""));
        auto body = coding == "gzip" ? compress::decompress_all(compress::Coding::gzip, second.body) : second.body;
        REQUIRE(body.has_value());
        CHECK(*body == next);
    }
}

TEST_CASE("ranges: single - suffix - open - multipart byte-exact  416  If-Range  invalid syntax is a 200") {
    TempTree dir;
    auto const bytes = wasm_like(100000, 9);
    dir.write("python.data", bytes);
    TestServer srv(config_for(dir.path));
    struct Row {
        std::string range;
        std::uint64_t first, last;
    };
    Row const rows[] = {{"bytes=0-99", 0, 99},
                        {"bytes=-100", 99900, 99999},
                        {"bytes=99000-", 99000, 99999},
                        {"bytes=5-5", 5, 5},
                        {"bytes=0-999999", 0, 99999}};
    for (auto const& row : rows) {
        CAPTURE(row.range);
        auto r = request(srv.port(), "GET", "/python.data", {"Range: " + row.range});
        CHECK(r.status == 206);
        CHECK(r.header("Content-Range") ==
              "bytes " + std::to_string(row.first) + "-" + std::to_string(row.last) + "/100000");
        CHECK(r.body == bytes.substr(row.first, row.last - row.first + 1));
        CHECK(r.header("Cross-Origin-Embedder-Policy") == "require-corp");
    }
    auto multi = request(srv.port(), "GET", "/python.data", {"Range: bytes=0-9, 50-59, 5-14"});
    CHECK(multi.status == 206);
    auto type = multi.header("Content-Type");
    REQUIRE(type.starts_with("multipart/byteranges; boundary="));
    auto boundary = type.substr(type.find('=') + 1);
    auto expected = "\r\n--" + boundary +
                    "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-14/100000\r\n\r\n" +
                    bytes.substr(0, 15) + "\r\n--" + boundary +
                    "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 50-59/100000\r\n\r\n" +
                    bytes.substr(50, 10) + "\r\n--" + boundary + "--\r\n";
    CHECK(multi.body == expected);

    auto unsat = request(srv.port(), "GET", "/python.data", {"Range: bytes=100000-"});
    CHECK(unsat.status == 416);
    CHECK(unsat.header("Content-Range") == "bytes */100000");
    auto invalid = request(srv.port(), "GET", "/python.data", {"Range: bytes=9-1"});
    CHECK(invalid.status == 200);
    CHECK(invalid.body == bytes);

    auto etag = request(srv.port(), "HEAD", "/python.data").header("ETag");
    auto if_range = request(srv.port(), "GET", "/python.data", {"Range: bytes=0-9", "If-Range: " + etag});
    CHECK(if_range.status == 206);
    auto stale = request(srv.port(), "GET", "/python.data", {"Range: bytes=0-9", "If-Range: \"old\""});
    CHECK(stale.status == 200);
    CHECK(stale.body == bytes);
}

TEST_CASE("sidecars: X.gz and X.br newer than X are served as X with the right headers") {
    TempTree dir;
    auto const bytes = wasm_like(100000, 10);
    dir.write("python.wasm", bytes);
    auto gz = compress::compress_all(compress::Coding::gzip, bytes, 9);
    auto br = compress::compress_all(compress::Coding::br, bytes, 9);
    REQUIRE(wait_past_file_times(dir / "python.wasm"));  // the sidecars are newer than their source
    dir.write("python.wasm.gz", *gz);
    dir.write("python.wasm.br", *br);
    TestServer srv(config_for(dir.path));
    auto r = request(srv.port(), "GET", "/python.wasm", {"Accept-Encoding: gzip"});
    CHECK(r.header("Content-Encoding") == "gzip");
    CHECK(r.header("Content-Type") == "application/wasm");
    CHECK(r.body == *gz);  // the sidecar's exact bytes
    auto b = request(srv.port(), "GET", "/python.wasm", {"Accept-Encoding: br, gzip"});
    CHECK(b.header("Content-Encoding") == "br");
    CHECK(b.body == *br);

    // A sidecar older than its source is stale and ignored.
    REQUIRE(wait_past_file_times(dir / "python.wasm.br"));  // the last sidecar written
    dir.write("python.wasm", wasm_like(100000, 11));
    auto fresh = request(srv.port(), "GET", "/python.wasm", {"Accept-Encoding: gzip"});
    CHECK(compress::decompress_all(compress::Coding::gzip, fresh.body) == wasm_like(100000, 11));
}

// A rebuild that renames its outputs (app.3f2a.js -> app.9b1c.js) must not leave the old
// compressed bodies in memory for the rest of the day: the server sweeps them within seconds.
TEST_CASE("compression: the body of a deleted file is freed by the server within seconds") {
    TempTree dir;
    dir.write("app.3f2a.js", wasm_like(1 << 20, 4));
    TestServer srv(config_for(dir.path));
    auto r = request(srv.port(), "GET", "/app.3f2a.js", {"Accept-Encoding: gzip"});
    REQUIRE(r.header("Content-Encoding") == "gzip");
    auto held = [&] {
        auto const n =
            json_number(request(srv.port(), "GET", "/__wasmdev/stats.json").body, "compress_cache.bytes_held");
        REQUIRE(n >= 0);
        return n;
    };
    CHECK(held() > 0);
    std::filesystem::remove(dir.path / "app.3f2a.js");
    // Asked until the sweep has run, within 10 s (it runs every few seconds).
    CHECK(eventually([&] { return held() == 0; }, 10s));
    CHECK(stats_number(srv.port(), "compress_cache.stale_dropped") == 1);
}

// A rebuild that lands while every compression thread is busy (a page loading python.wasm and
// python.data cold): the changed file's compression fails before its first byte, nothing has
// been promised yet, and the request is answered with the file as it is now, not with a 200
// cut short.
TEST_CASE("compression: a file changed before its compressed body began is answered as it is now") {
    TempTree dir;
    dir.write("big.wasm", wasm_like(32 << 20, 11));
    unsigned const pool = std::max(1u, std::thread::hardware_concurrency());  // the server's compression threads
    for (unsigned i = 0; i < pool; ++i)  // one cold compression per thread, of one file's bytes
        std::filesystem::create_hard_link(dir.path / "big.wasm", dir.path / ("big" + std::to_string(i) + ".wasm"));
    // Over the small-job size (1 MiB), so its compression waits for a big-lane thread (docs/design.md#compression-lanes).
    auto const v1 = wasm_like(2 << 20, 12), v2 = wasm_like((2 << 20) + 7, 13);
    dir.write("app.js", v1);
    TestServer srv(config_for(dir.path));

    std::vector<std::unique_ptr<RawClient>> busy;
    for (unsigned i = 0; i < pool; ++i) {
        busy.push_back(std::make_unique<RawClient>(srv.port(), 30s));
        busy.back()->send(request_line("GET", "/big" + std::to_string(i) + ".wasm", {"Accept-Encoding: gzip"}));
    }
    // Every compression thread is on a 32 MB file: each big response's head is out, and the
    // head leaves with the first compressed bytes (docs/design.md#writer).
    for (auto& b : busy) REQUIRE(b->wait_for("\r\n\r\n"));
    RawClient c(srv.port(), 30s);
    c.send(request_line("GET", "/app.js", {"Accept-Encoding: gzip"}));
    // Decided for v1: its compression is started (keyed by v1) and waits for a thread.
    // Asked until then, within 30 s (the request is decided as soon as it is read).
    REQUIRE(eventually(
        [&] {
            return stats_number(srv.port(), "compress_cache.compressions_started") == static_cast<long long>(pool) + 1;
        },
        30s));
    dir.write("app.js", v2);

    auto r = c.read();
    REQUIRE(r);  // a whole response, not one cut short
    CHECK(r->status == 200);
    CHECK(r->header("Content-Encoding") == "gzip");
    CHECK((compress::decompress_all(compress::Coding::gzip, r->body) == v2));
    for (auto& b : busy) CHECK(b->read());  // the big ones were not disturbed
}

namespace {

// Every header but Date, which may tick between two responses.
std::vector<std::pair<std::string, std::string>> headers_but_date(Response const& r) {
    auto h = r.headers;
    std::erase_if(h, [](auto const& f) { return f.first == "Date"; });
    return h;
}
}  // namespace

// Decide, then act (docs/design.md#decide-then-act): after a restart every page load revalidates every file; answering
// those with 304s must not compress the whole build again, and neither may a HEAD.
TEST_CASE("decide then act: after a restart a 304 - 412 - 416 and a HEAD start no compression") {
    TempTree dir;
    dir.write("app.wasm", wasm_like(2 << 20, 7));
    std::string gzip_etag;
    {
        TestServer before_restart(config_for(dir.path));
        gzip_etag = request(before_restart.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip"}).header("ETag");
    }
    TestServer srv(config_for(dir.path));
    auto const not_modified =
        request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip", "If-None-Match: " + gzip_etag});
    CHECK(not_modified.status == 304);
    CHECK(not_modified.header("ETag") == gzip_etag);
    auto const failed = request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip", "If-Match: \"other\""});
    CHECK(failed.status == 412);
    auto const unsatisfiable =
        request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip", "Range: bytes=99999999-"});
    CHECK(unsatisfiable.status == 416);
    auto const head = request(srv.port(), "HEAD", "/app.wasm", {"Accept-Encoding: gzip"});
    CHECK(head.status == 200);
    CHECK(head.header("ETag") == gzip_etag);
    auto const stats = request(srv.port(), "GET", "/__wasmdev/stats.json").body;
    CAPTURE(stats);
    CHECK(json_number(stats, "compress_cache.compressions_started") == 0);
}

TEST_CASE("decide then act: a HEAD has the headers its GET has - cold (chunked) and warm (with a length)") {
    TempTree dir;
    dir.write("app.wasm", wasm_like(2 << 20, 8));
    TestServer srv(config_for(dir.path));
    for (std::string_view pass : {"cold", "warm"}) {
        CAPTURE(pass);
        auto const head = request(srv.port(), "HEAD", "/app.wasm", {"Accept-Encoding: gzip"});
        auto const get = request(srv.port(), "GET", "/app.wasm", {"Accept-Encoding: gzip"});
        REQUIRE(get.status == 200);
        CHECK(head.body.empty());
        CHECK(headers_but_date(head) == headers_but_date(get));
        if (pass == "cold") CHECK(get.header("Transfer-Encoding") == "chunked");
        if (pass == "warm") CHECK(get.header("Content-Length") == std::to_string(get.body.size()));
    }
    auto const stats = request(srv.port(), "GET", "/__wasmdev/stats.json").body;
    CAPTURE(stats);
    CHECK(json_number(stats, "compress_cache.compressions_started") == 1);  // the cold GET's, no HEAD's
}
