// handle() with live reload on (docs/design.md#live-reload): an HTML page is its own representation with the
// client injected, its ETag, length and compressed form consistent; other files, opted-out
// pages and --no-reload are untouched. No sockets.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/compress/cache.hpp"
#include "server/compress/codec.hpp"
#include "server/http/handler.hpp"
#include "server/http/policy.hpp"

using namespace wasmdev::http;
namespace fs = std::filesystem;

namespace {

using Fields = std::vector<std::pair<std::string_view, std::string_view>>;
std::string const page =
    "<!doctype html>\n<html><head><title>t</title></head><body>" + std::string(2000, 'x') + "</body></html>\n";
std::string const opted_out = "<html><head><meta name=\"wasmdev-reload\" content=\"off\"></head></html>\n";

struct Site {
    fs::path root;
    Config cfg;
    Site() {
        static int counter = 0;
        root = fs::temp_directory_path() /
               ("wasmdev-reload-site-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(root);
        std::ofstream(root / "index.html") << page;
        std::ofstream(root / "quiet.html") << opted_out;
        std::ofstream(root / "app.js") << "console.log(1)\n";
        cfg.root = fs::canonical(root);
        cfg.reload.enabled = true;
        cfg.reload.token = "00112233445566778899aabbccddeeff";
    }
    ~Site() { fs::remove_all(root); }
};

std::string header(ResponsePlan const& p, std::string_view name) {
    for (auto const& [n, v] : p.headers)
        if (iequals(n, name)) return v;
    return "(absent)";
}

ResponsePlan request(std::string_view method, std::string_view target, Config const& cfg, Fields extra = {}) {
    RequestHead req;
    req.method = method;
    req.target = target;
    req.fields.emplace_back("Host", "localhost:8000");
    for (auto const& f : extra) req.fields.push_back(f);
    return handle(req, cfg);
}

std::string body(ResponsePlan const& p) {
    if (auto s = std::get_if<SharedBody>(&p.body)) return *s->bytes;
    if (auto e = std::get_if<StreamBody>(&p.body)) return std::string(e->entry->view().bytes);
    if (auto t = std::get_if<TextBody>(&p.body)) return t->bytes;
    return "(not in memory)";
}

std::string const script =
    "<script src=\"/__wasmdev/reload.js?token=00112233445566778899aabbccddeeff\" defer></script>";

}  // namespace

TEST_CASE("reload on: an HTML page carries the client after <head>, with a length that counts it") {
    Site s;
    auto p = request("GET", "/", s.cfg);
    REQUIRE(p.status == 200);
    auto b = body(p);
    CHECK(b == "<!doctype html>\n<html><head>" + script + page.substr(28));
    CHECK(p.content_length == b.size());
    CHECK(header(p, "Accept-Ranges") == "(absent)");
    CHECK(header(p, "Last-Modified") == "(absent)");
    auto head = request("HEAD", "/", s.cfg);
    CHECK_FALSE(head.content_length);  // no cache: nothing kept, and a HEAD reads nothing
    CHECK(header(head, "ETag") == header(p, "ETag"));
}

TEST_CASE("reload on: the injected page's ETag differs from the plain page's and from another process's") {
    Site s;
    auto injected = request("GET", "/index.html", s.cfg);
    auto plain_cfg = s.cfg;
    plain_cfg.reload.enabled = false;
    auto plain = request("GET", "/index.html", plain_cfg);
    auto other_cfg = s.cfg;
    other_cfg.reload.token = "ffeeddccbbaa99887766554433221100";
    auto other = request("GET", "/index.html", other_cfg);
    CHECK(header(injected, "ETag") != header(plain, "ETag"));
    CHECK(header(injected, "ETag") != header(other, "ETag"));
    // A revalidation: the same process answers 304; a page cached from another process or
    // from a plain run gets the page again (a 304 must never pair an old page with a new token).
    auto const tag = header(injected, "ETag");
    CHECK(request("GET", "/index.html", s.cfg, {{"If-None-Match", tag}}).status == 304);
    CHECK(request("GET", "/index.html", other_cfg, {{"If-None-Match", tag}}).status == 200);
    auto const plain_tag = header(plain, "ETag");
    CHECK(request("GET", "/index.html", s.cfg, {{"If-None-Match", plain_tag}}).status == 200);
    // A date cannot tell the processes apart: If-Modified-Since alone never gives a 304.
    CHECK(request("GET", "/index.html", s.cfg, {{"If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT"}}).status == 200);
}

TEST_CASE("reload on: a compressed injected page inflates to the identity page, under its own ETag") {
    Site s;
    auto identity = request("GET", "/", s.cfg);
    auto gz = request("GET", "/", s.cfg, {{"Accept-Encoding", "gzip"}});
    REQUIRE(gz.status == 200);
    CHECK(header(gz, "Content-Encoding") == "gzip");
    CHECK(header(gz, "Vary") == "Accept-Encoding");
    CHECK(header(gz, "ETag") != header(identity, "ETag"));
    CHECK(gz.content_length == body(gz).size());
    auto inflated = wasmdev::compress::decompress_all(wasmdev::codings::Coding::gzip, body(gz));
    REQUIRE(inflated);
    CHECK(*inflated == body(identity));
    auto head = request("HEAD", "/", s.cfg, {{"Accept-Encoding", "gzip"}});
    CHECK_FALSE(head.content_length);  // a HEAD never compresses: its length is not known
    CHECK(header(head, "ETag") == header(gz, "ETag"));
}

TEST_CASE("reload on: with the cache the page is made once per version and compressed by a job - never for a HEAD") {
    Site s;
    std::vector<std::function<void()>> queued;  // jobs are held until the test runs them
    wasmdev::compress::CompressCache cache(1 << 26,
                                           [&](std::function<void()> job) { queued.push_back(std::move(job)); });
    Services const services{&cache};
    auto call = [&](std::string_view method, std::string_view accept, unsigned version = 11) {
        RequestHead req;
        req.method = method;
        req.version = version;
        req.target = "/";
        req.fields = {{"Host", "localhost:8000"}, {"Accept-Encoding", accept}};
        return handle(req, s.cfg, services);
    };
    std::string const injected = "<!doctype html>\n<html><head>" + script + page.substr(28);
    // A HEAD on a cold cache: the GET's headers, no length, nothing read or compressed.
    for (auto accept : {"identity", "gzip"}) {
        auto const head = call("HEAD", accept);
        CHECK(head.status == 200);
        CHECK_FALSE(head.content_length);
    }
    CHECK(cache.stats().bodies_stored == 0);
    CHECK(cache.stats().compressions_started == 0);
    // GETs: the page once; its gzip by one job, off this thread.
    for (int i = 0; i < 5; ++i) {
        auto const p = call("GET", "identity");
        CHECK(body(p) == injected);
        CHECK(p.content_length == injected.size());
    }
    auto const gz = call("GET", "gzip");
    CHECK(header(gz, "Content-Encoding") == "gzip");
    REQUIRE(std::holds_alternative<StreamBody>(gz.body));
    CHECK(queued.size() == 1);
    for (auto& job : queued) job();
    queued.clear();
    auto const again = call("GET", "gzip");
    REQUIRE(again.content_length);
    auto inflated = wasmdev::compress::decompress_all(wasmdev::codings::Coding::gzip, body(again));
    REQUIRE(inflated);
    CHECK(*inflated == injected);
    CHECK(header(again, "ETag") == header(gz, "ETag"));
    // HEADs now have the GET's lengths, and still start nothing.
    CHECK(call("HEAD", "gzip").content_length == again.content_length);
    CHECK(call("HEAD", "identity").content_length == injected.size());
    auto const st = cache.stats();
    CHECK(st.bodies_stored == 1);
    CHECK(st.compressions_started == 1);
    CHECK(queued.empty());
    // HTTP/1.0 has no chunked framing: a HEAD gets the identity page's length and starts
    // nothing; a GET of a coding not made yet goes as identity and starts it.
    auto const head10 = call("HEAD", "br", 10);
    CHECK(header(head10, "Content-Encoding") == "(absent)");
    CHECK(head10.content_length == injected.size());
    CHECK(queued.empty());
    auto const br10 = call("GET", "br", 10);
    CHECK(header(br10, "Content-Encoding") == "(absent)");
    CHECK(body(br10) == injected);
    CHECK(queued.size() == 1);
    // A rewritten page is made again, from its new bytes.
    std::ofstream(s.root / "index.html", std::ios::app) << "<!-- more -->";
    CHECK(body(call("GET", "identity")) == injected + "<!-- more -->");
    CHECK(cache.stats().bodies_stored == 2);
}

TEST_CASE("reload on: Range on an injected page is ignored: a 200 of the whole page") {
    Site s;
    auto p = request("GET", "/", s.cfg, {{"Range", "bytes=0-9"}});
    CHECK(p.status == 200);
    CHECK(body(p).find(script) != std::string::npos);
}

TEST_CASE("reload on: opted-out pages, other types and --no-reload are served as they are") {
    Site s;
    auto q = request("GET", "/index.html?wasmdev-reload=off", s.cfg);
    CHECK(q.status == 200);
    CHECK(std::holds_alternative<FileBody>(q.body));  // the file itself
    auto meta = request("GET", "/quiet.html", s.cfg);
    CHECK(body(meta) == opted_out);
    auto js = request("GET", "/app.js", s.cfg);
    CHECK(std::holds_alternative<FileBody>(js.body));
    auto off = s.cfg;
    off.reload.enabled = false;
    CHECK(std::holds_alternative<FileBody>(request("GET", "/", off).body));
    CHECK(request("GET", "/__wasmdev/events?token=00112233445566778899aabbccddeeff", off).status == 404);
}

TEST_CASE("reload on: the event stream is answered to its page and refused to others") {
    Site s;
    auto ok = request("GET", "/__wasmdev/events?token=00112233445566778899aabbccddeeff", s.cfg,
                      {{"Origin", "http://localhost:8000"}, {"Sec-Fetch-Site", "same-origin"}});
    CHECK(ok.status == 200);
    CHECK(header(ok, "Content-Type") == "text/event-stream");
    CHECK(header(ok, "Cross-Origin-Embedder-Policy") == "require-corp");
    CHECK(std::holds_alternative<EventStreamBody>(ok.body));
    CHECK_FALSE(ok.content_length);
    CHECK(request("GET", "/__wasmdev/events", s.cfg).status == 403);
    CHECK(request("GET", "/__wasmdev/events?token=00112233445566778899aabbccddeeff", s.cfg,
                  {{"Origin", "http://evil.example"}})
              .status == 403);
    // The Host check comes first: a rebinding page never reaches the token check.
    RequestHead rebound;
    rebound.method = "GET";
    rebound.target = "/__wasmdev/events?token=00112233445566778899aabbccddeeff";
    rebound.fields.emplace_back("Host", "evil.example:8000");
    CHECK(handle(rebound, s.cfg).status == 403);
    // The client script and its shared worker (docs/reload.md, "Many tabs") are served like the
    // other embedded assets: same origin, a script type, and the isolation headers a COEP page
    // needs of its worker.
    for (auto target : {"/__wasmdev/reload.js?token=x", "/__wasmdev/reload-worker.js?token=x"}) {
        CAPTURE(target);
        auto js = request("GET", target, s.cfg);
        CHECK(js.status == 200);
        CHECK(header(js, "Content-Type") == "text/javascript");
        CHECK(header(js, "Cross-Origin-Embedder-Policy") == "require-corp");
    }
}

TEST_CASE("reload on: a page not built yet gets a 404 that reloads itself once the page exists") {
    Site s;
    auto p = request("GET", "/builddir/python.html", s.cfg);
    CHECK(p.status == 404);
    CHECK(body(p).find(script) != std::string::npos);
    CHECK(p.content_length == body(p).size());
    // Not for other types, nor with reload off.
    CHECK(body(request("GET", "/builddir/python.wasm", s.cfg)).find("reload.js") == std::string::npos);
    auto off = s.cfg;
    off.reload.enabled = false;
    CHECK(body(request("GET", "/builddir/python.html", off)).find("reload.js") == std::string::npos);
}
