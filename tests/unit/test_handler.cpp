// handle() without sockets (docs/design.md#serving): status, headers and body bytes per
// request, on tests/fixtures/site and on a temporary copy of it that adds what git cannot
// hold (.git/, symlinks, a FIFO).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "mime/mime.hpp"
#include "server/compress/cache.hpp"
#include "server/fs/resolve.hpp"
#include "server/http/error_page.hpp"
#include "server/http/handler.hpp"
#include "server/http/policy.hpp"
#include "server/www/assets.hpp"
#include "tests/support/temp_tree.hpp"

using namespace wasmdev::http;
namespace fs = std::filesystem;

namespace {

using Fields = std::vector<std::pair<std::string_view, std::string_view>>;

constexpr std::string_view wasm_bytes{"\0asm\1\0\0\0", 8};
constexpr std::string_view secret_content = "TOP SECRET";

fs::path fixture_root() { return fs::canonical(WASMDEV_FIXTURES_DIR "/site"); }

Config config_for(fs::path const& root) {
    Config cfg;
    cfg.root = root;
    return cfg;
}

std::string header(ResponsePlan const& p, std::string_view name) {
    for (auto const& [n, v] : p.headers)
        if (iequals(n, name)) return v;
    return "(absent)";
}

int header_count(ResponsePlan const& p, std::string_view name) {
    int n = 0;
    for (auto const& h : p.headers) n += iequals(h.first, name);
    return n;
}

// The bytes the writer would send, whichever body the plan holds.
std::string body_of(ResponsePlan const& p) {
    struct Visit {
        std::string operator()(NoBody const&) const { return {}; }
        std::string operator()(TextBody const& b) const { return b.bytes; }
        std::string operator()(StaticBody const& b) const { return std::string(b.bytes); }
        std::string operator()(SharedBody const& b) const { return *b.bytes; }
        std::string operator()(StreamBody const&) const { return "(a stream)"; }
        std::string operator()(EventStreamBody const&) const { return "(events)"; }
        std::string operator()(FileBody const& b) const {
            std::string out;
            for (auto const& part : b.parts) {
                if (!part.from_file) {
                    out += part.literal;
                    continue;
                }
                std::string bytes(part.length, '\0');
                REQUIRE(::pread(b.file->fd, bytes.data(), bytes.size(), off_t(part.offset)) == ssize_t(bytes.size()));
                out += bytes;
            }
            return out;
        }
    };
    return std::visit(Visit{}, p.body);
}

bool is_stream(ResponsePlan const& p) { return std::holds_alternative<StreamBody>(p.body); }

ResponsePlan request(std::string_view method, std::string_view target, Config const& cfg, Fields extra = {},
                     bool with_host = true, unsigned version = 11) {
    RequestHead req;
    req.method = method;
    req.target = target;
    req.version = version;
    if (with_host) req.fields.emplace_back("Host", "localhost:8000");
    for (auto const& f : extra) req.fields.push_back(f);
    return handle(req, cfg);
}

ResponsePlan get(std::string_view target, Config const& cfg, Fields extra = {}) {
    return request("GET", target, cfg, std::move(extra));
}

// docs/design.md#policy-headers: every response, whatever its status, carries the policy exactly once.
void check_policy(ResponsePlan const& p, Config const& cfg = {}) {
    CAPTURE(p.status);
    for (auto const& [name, value] : policy_headers(cfg)) {
        CAPTURE(name);
        CHECK(header(p, name) == value);
        CHECK(header_count(p, name) == 1);
    }
}

bool contains(std::string const& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// A copy of the fixture site in tmp/root, with tmp/secret.txt beside it, plus .git/,
// symlinks in and out, a FIFO, a directory named like a host, and a real __wasmdev/.
struct TempSite {
    wasmdev::test::TempTree tmp{{}, "handler"};
    fs::path top = tmp.path, root;
    int root_fd = -1;
    TempSite() {
        fs::copy(WASMDEV_FIXTURES_DIR "/site", top / "root", fs::copy_options::recursive);
        root = fs::canonical(top / "root");
        std::ofstream(top / "secret.txt") << secret_content;
        fs::create_directories(root / ".git");
        std::ofstream(root / ".git/config") << "[core]\n";
        fs::create_directories(root / "evil.com/dir");
        fs::create_directories(root / "links");
        std::ofstream(root / "links/ok.txt") << "ok";
        fs::create_symlink(top / "secret.txt", root / "links/escape");
        fs::create_symlink(top / "secret.txt", root / "escape");
        fs::create_symlink("/etc/passwd", root / "passwd");
        fs::create_symlink(root / ".git/config", root / "to-git");
        fs::create_directories(root / "__wasmdev");
        std::ofstream(root / "__wasmdev/index.html") << "shadow";
        std::ofstream(root / "x[1].js") << "bracket";
        REQUIRE(::mkfifo((root / "fifo").c_str(), 0600) == 0);
        root_fd = wasmdev::fs::open_root(root);
        REQUIRE(root_fd >= 0);
    }
    ~TempSite() { ::close(root_fd); }
    TempSite(TempSite const&) = delete;
    TempSite& operator=(TempSite const&) = delete;
    // Both resolve routes: the realpath one and the openat2 one.
    std::vector<Config> configs() const {
        auto slow = config_for(root);
        auto fast = slow;
        fast.root_fd = root_fd;
        return {slow, fast};
    }
};

}  // namespace

TEST_CASE("handle: files get their exact Content-Type - validators and exact bytes") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        std::string_view target;
        std::string_view type;
        std::string_view bytes;
    };
    Row const rows[] = {
        {"/app.wasm", "application/wasm", wasm_bytes},
        {"/app.js", "text/javascript", "export const answer = 42;\n"},
        {"/app.mjs", "text/javascript", "export const answer = 42;\n"},
        {"/index.html", "text/html; charset=utf-8", "<h1>fixture home</h1>\n"},
        {"/docs/a%20b%20%26%20%3Cc%3E%20%23%25.txt", "text/plain; charset=utf-8", "awkward\n"},
        {"/docs/%C3%A9.txt", "text/plain; charset=utf-8", "accent\n"},
        {"/docs/dir%20%231/x.txt", "text/plain; charset=utf-8", "nested\n"},
        {"/sub/inner.txt", "text/plain; charset=utf-8", "inner\n"},
        {"/sub/inner.txt?cache=bust&v=1", "text/plain; charset=utf-8", "inner\n"},  // the query is ignored
        {"/./sub/../sub/inner.txt", "text/plain; charset=utf-8", "inner\n"},
        {"http://localhost:8000/app.wasm", "application/wasm", wasm_bytes},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto p = get(row.target, cfg);
        CHECK(p.status == 200);
        CHECK(header(p, "Content-Type") == row.type);
        CHECK(header_count(p, "Content-Type") == 1);
        CHECK(header(p, "Accept-Ranges") == "bytes");
        auto etag = header(p, "ETag");
        CHECK(etag.size() > 2);
        CHECK(etag.front() == '"');
        CHECK(etag.back() == '"');
        CHECK(header(p, "Last-Modified").ends_with(" GMT"));
        CHECK(p.content_length == row.bytes.size());
        CHECK(body_of(p) == row.bytes);
        CHECK(p.has_body());
        CHECK_FALSE(p.close);
        check_policy(p);
    }
}

TEST_CASE("handle: policy headers on every status the pipeline produces") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        std::string_view method, target;
        Fields fields;
        unsigned status;
    };
    Row const rows[] = {
        {"GET", "/app.wasm", {}, 200},
        {"GET", "/", {}, 200},
        {"GET", "/sub/", {}, 200},  // listing
        {"GET", "/app.wasm", {{"Range", "bytes=0-3"}}, 206},
        {"GET", "/app.wasm", {{"Range", "bytes=0-0,2-3"}}, 206},  // multipart
        {"GET", "/app.wasm", {{"If-None-Match", "*"}}, 304},
        {"GET", "/sub", {}, 301},
        {"GET", "/__wasmdev", {}, 301},
        {"GET", "/a%00", {}, 400},
        {"GET", "*", {}, 400},
        {"GET", "/app.wasm", {{"Transfer-Encoding", "gzip"}}, 400},
        {"GET", "/app.wasm", {{"Host", "localhost"}}, 400},  // a second Host
        {"GET", "/nope", {}, 404},
        {"GET", "/nope.wasm", {}, 404},
        {"GET", "/.env", {}, 404},
        {"GET", "/__wasmdev/nothing-here", {}, 404},
        {"POST", "/", {}, 405},
        {"DELETE", "/app.wasm", {}, 405},
        {"GET", "/app.wasm", {{"If-Match", "\"nope\""}}, 412},
        {"GET", "/app.wasm", {{"Range", "bytes=100-"}}, 416},
        {"OPTIONS", "*", {}, 204},
        {"OPTIONS", "/app.wasm", {}, 204},
        {"HEAD", "/app.wasm", {}, 200},
        {"HEAD", "/nope", {}, 404},
    };
    for (auto const& row : rows) {
        CAPTURE(row.method);
        CAPTURE(row.target);
        auto p = request(row.method, row.target, cfg, row.fields);
        CHECK(p.status == row.status);
        check_policy(p);
    }
    // 403s: a refused Host and a refused listing.
    RequestHead evil;
    evil.method = "GET";
    evil.target = "/";
    evil.fields = {{"Host", "evil.example"}};
    auto host = handle(evil, cfg);
    CHECK(host.status == 403);
    check_policy(host);
    auto no_listing = cfg;
    no_listing.listing = false;
    auto listing = get("/sub/", no_listing);
    CHECK(listing.status == 403);
    check_policy(listing);
    // HTTP/1.1 without Host.
    auto no_host = request("GET", "/", cfg, {}, false);
    CHECK(no_host.status == 400);
    check_policy(no_host);
}

TEST_CASE("handle: ranges and conditionals on a file") {
    auto const cfg = config_for(fixture_root());
    auto full = get("/app.wasm", cfg);
    auto const etag = header(full, "ETag");
    auto const last_modified = header(full, "Last-Modified");

    auto part = get("/app.wasm", cfg, {{"Range", "bytes=0-3"}});
    CHECK(part.status == 206);
    CHECK(header(part, "Content-Range") == "bytes 0-3/8");
    CHECK(part.content_length == 4);
    CHECK(body_of(part) == wasm_bytes.substr(0, 4));
    CHECK(header(part, "Content-Type") == "application/wasm");

    auto suffix = get("/app.wasm", cfg, {{"Range", "bytes=-2"}});
    CHECK(suffix.status == 206);
    CHECK(header(suffix, "Content-Range") == "bytes 6-7/8");
    CHECK(body_of(suffix) == wasm_bytes.substr(6));

    auto outside = get("/app.wasm", cfg, {{"Range", "bytes=100-"}});
    CHECK(outside.status == 416);
    CHECK(header(outside, "Content-Range") == "bytes */8");

    auto same = get("/app.wasm", cfg, {{"If-None-Match", etag}});
    CHECK(same.status == 304);
    CHECK_FALSE(same.has_body());
    CHECK(header(same, "ETag") == etag);
    check_policy(same);
    auto since = get("/app.wasm", cfg, {{"If-Modified-Since", last_modified}});
    CHECK(since.status == 304);
    auto other = get("/app.wasm", cfg, {{"If-None-Match", "\"other\""}});
    CHECK(other.status == 200);
    CHECK(body_of(other) == wasm_bytes);
}

TEST_CASE("handle: HEAD has exactly GET's status and headers and sends no body") {
    TempSite site;
    auto const cfg = config_for(site.root);
    std::string_view const targets[] = {"/app.wasm", "/",       "/sub/",      "/sub",        "/nope",
                                        "/.env",     "/escape", "/__wasmdev", "/__wasmdev/", "/docs/"};
    for (auto target : targets) {
        CAPTURE(target);
        auto g = get(target, cfg);
        auto h = request("HEAD", target, cfg);
        CHECK(h.status == g.status);
        CHECK(h.headers == g.headers);
        CHECK(h.content_length == g.content_length);
        CHECK_FALSE(h.has_body());
        CHECK(g.has_body());
    }
}

TEST_CASE("handle: OPTIONS is 204 with Allow  other methods are 405 with Allow") {
    auto const cfg = config_for(fixture_root());
    for (std::string_view target : {"*", "/", "/app.wasm", "/nope"}) {
        CAPTURE(target);
        auto p = request("OPTIONS", target, cfg);
        CHECK(p.status == 204);
        CHECK(header(p, "Allow") == "GET, HEAD, OPTIONS");
        CHECK(p.content_length == 0);
        CHECK_FALSE(p.has_body());
        CHECK(body_of(p).empty());
    }
    // Methods are case-sensitive (RFC 9110 §9.1): "get" is not GET.
    for (std::string_view method : {"POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND", "get", "Head"}) {
        CAPTURE(method);
        auto p = request(method, "/app.wasm", cfg);
        CHECK(p.status == 405);
        CHECK(header(p, "Allow") == "GET, HEAD, OPTIONS");
        CHECK(header(p, "Content-Type") == "text/html; charset=utf-8");
        CHECK(contains(body_of(p), "<h1>405 Method Not Allowed</h1>"));
        CHECK(p.content_length == body_of(p).size());
        check_policy(p);
    }
}

TEST_CASE("handle: a directory without its slash redirects to the normalised slash form") {
    TempSite site;
    struct Row {
        std::string_view target;
        unsigned status;
        std::string_view location;
    };
    Row const rows[] = {
        {"/sub", 301, "/sub/"},
        {"/sub?x=1&y=%20", 301, "/sub/?x=1&y=%20"},
        {"//sub", 301, "/sub/"},
        {"/./sub", 301, "/sub/"},
        {"/docs/../sub", 301, "/sub/"},
        {"/docs/dir%20%231", 301, "/docs/dir%20%231/"},
        {"/%64ocs", 301, "/docs/"},
        {"//evil.com", 301, "/evil.com/"},
        {"//evil.com/dir", 301, "/evil.com/dir/"},
        {"///evil.com/dir", 301, "/evil.com/dir/"},
        {"/.//evil.com/dir", 301, "/evil.com/dir/"},
        {"/%2e//evil.com/dir", 301, "/evil.com/dir/"},
        {"/..//evil.com/dir", 301, "/evil.com/dir/"},
        {"/../evil.com/dir", 301, "/evil.com/dir/"},
        {"http://localhost//evil.com/dir", 301, "/evil.com/dir/"},
        {"/%2F%2Fevil.com/dir", 400, ""},
        {"/%2f/evil.com/dir", 400, ""},
        {"/\\evil.com/dir", 400, ""},
        {"/%5Cevil.com/dir", 400, ""},
        {"/%5C%5Cevil.com", 400, ""},
        {"/sub/", 200, ""},
        {"/evil.com/dir/", 200, ""},
    };
    for (auto const& cfg : site.configs()) {
        CAPTURE(cfg.root_fd);
        for (auto const& row : rows) {
            CAPTURE(row.target);
            auto p = get(row.target, cfg);
            CHECK(p.status == row.status);
            auto const location = header(p, "Location");
            if (row.status == 301) {
                CHECK(location == row.location);
                CHECK(header(p, "Content-Type") == "text/html; charset=utf-8");
                CHECK(p.content_length == body_of(p).size());
            } else {
                CHECK(location == "(absent)");
            }
            CHECK_FALSE(location.starts_with("//"));
            CHECK_FALSE(location.starts_with("/\\"));
            check_policy(p);
        }
    }
}

TEST_CASE("handle: index.html when present - else a listing - or 403 with --no-listing") {
    auto cfg = config_for(fixture_root());
    auto home = get("/", cfg);
    CHECK(home.status == 200);
    CHECK(header(home, "Content-Type") == "text/html; charset=utf-8");
    CHECK(body_of(home) == "<h1>fixture home</h1>\n");

    auto docs = get("/docs/", cfg);
    CHECK(docs.status == 200);
    CHECK(header(docs, "Content-Type") == "text/html; charset=utf-8");
    CHECK(docs.content_length == body_of(docs).size());
    CHECK(contains(body_of(docs), "<title>Index of /docs/</title>"));
    CHECK(
        contains(body_of(docs), "<a href=\"/docs/a%20b%20%26%20%3Cc%3E%20%23%25.txt\">a b &amp; &lt;c&gt; #%.txt</a>"));
    CHECK(contains(body_of(docs), "<a href=\"/docs/%C3%A9.txt\">\xC3\xA9.txt</a>"));
    CHECK(contains(body_of(docs), "<a href=\"/docs/dir%20%231/\">dir #1/</a>"));
    CHECK(contains(body_of(docs), "<a href=\"../\">../</a>"));
    CHECK(contains(body_of(docs), "<a href=\"/__wasmdev/\">"));
    CHECK(body_of(docs).find("dir #1/</a>") < body_of(docs).find("a b &amp;"));  // directories first
    CHECK_FALSE(contains(body_of(docs), "<c>"));

    auto nested = get("/docs/dir%20%231/", cfg);
    CHECK(nested.status == 200);
    CHECK(contains(body_of(nested), "<title>Index of /docs/dir #1/</title>"));
    CHECK(contains(body_of(nested), "<a href=\"/docs/dir%20%231/x.txt\">x.txt</a>"));

    auto sub = get("/sub/", cfg);
    CHECK(sub.status == 200);
    CHECK(contains(body_of(sub), "<a href=\"/sub/inner.txt\">inner.txt</a>"));
    CHECK_FALSE(contains(body_of(sub), ".hidden"));

    cfg.listing = false;
    auto refused = get("/docs/", cfg);
    CHECK(refused.status == 403);
    CHECK(contains(body_of(refused), "--no-listing"));
    CHECK(header(refused, "Content-Type") == "text/html; charset=utf-8");
    CHECK(get("/", cfg).status == 200);  // index.html is still served
    CHECK(get("/sub", cfg).status == 301);
}

TEST_CASE("handle: dotfiles - links out of the root and FIFOs are refused") {
    TempSite site;
    for (auto cfg : site.configs()) {
        CAPTURE(cfg.root_fd);
        struct Row {
            std::string_view target;
            unsigned status;
        };
        Row const rows[] = {
            {"/.env", 404},
            {"/%2eenv", 404},
            {"/.git/config", 404},
            {"/.git/", 404},
            {"/.git", 404},
            {"/sub/.hidden.txt", 404},
            {"/to-git", 404},
            {"/escape", 403},
            {"/links/escape", 403},
            {"/passwd", 403},
            {"/fifo", 403},
            {"/../secret.txt", 404},
            {"/%2e%2e/secret.txt", 404},
        };
        for (auto const& row : rows) {
            CAPTURE(row.target);
            auto p = get(row.target, cfg);
            CHECK(p.status == row.status);
            CHECK_FALSE(contains(body_of(p), secret_content));
            CHECK_FALSE(contains(body_of(p), "[core]"));
            CHECK_FALSE(contains(body_of(p), "TOKEN="));
            check_policy(p);
        }
        auto escape = get("/escape", cfg);
        CHECK(contains(body_of(escape), "--follow-symlinks"));

        cfg.follow_symlinks = true;
        auto followed = get("/escape", cfg);
        CHECK(followed.status == 200);
        CHECK(body_of(followed) == secret_content);
        CHECK(get("/to-git", cfg).status == 404);  // still hidden
        CHECK(get("/.env", cfg).status == 404);
    }
}

// docs/design.md#symlinks: links leaving ROOT are refused and nothing outside ROOT is read; a listing that
// shows them (with the outside file's size and time) leads to a 403 and leaks metadata.
TEST_CASE("handle: a listing leaves out links that lead outside the root") {
    TempSite site;
    auto p = get("/links/", config_for(site.root));
    CHECK(p.status == 200);
    CHECK(contains(body_of(p), ">ok.txt</a>"));
    CHECK_FALSE(contains(body_of(p), ">escape</a>"));
}

// A file is not a directory: "/app.wasm/" names nothing (open("app.wasm/") is ENOTDIR, and
// nginx and Apache answer 404). Serving the file there breaks every relative URL in it.
TEST_CASE("handle: a file asked for with a trailing slash is not found") {
    auto const cfg = config_for(fixture_root());
    for (std::string_view target : {"/app.wasm/", "/index.html/", "/sub/inner.txt/", "/app.wasm/."}) {
        CAPTURE(target);
        CHECK(get(target, cfg).status == 404);
    }
}

TEST_CASE("handle: a missing .wasm leaves a note for the log") {
    auto const cfg = config_for(fixture_root());
    auto wasm = get("/build/python.wasm", cfg);
    CHECK(wasm.status == 404);
    CHECK_FALSE(wasm.log_note.empty());
    CHECK(get("/nope.txt", cfg).log_note.empty());
    CHECK(get("/app.wasm", cfg).log_note.empty());
}

TEST_CASE("handle: the Host check answers localhost names and refuses the rest") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        std::vector<std::string_view> hosts;
        unsigned version;
        unsigned status;
    };
    Row const rows[] = {
        {{"localhost"}, 11, 200},
        {{"localhost:8000"}, 11, 200},
        {{"LOCALHOST:8000"}, 11, 200},
        {{"127.0.0.1:1"}, 11, 200},
        {{"[::1]:8000"}, 11, 200},
        {{"foo.localhost"}, 11, 200},
        {{"localhost."}, 11, 200},
        {{"evil.com"}, 11, 403},
        {{"127.0.0.1.evil.com"}, 11, 403},
        {{"localhost.evil.com"}, 11, 403},
        {{"[::1"}, 11, 400},
        {{"[::1]x"}, 11, 400},
        {{"localhost:abc"}, 11, 400},
        {{"local host"}, 11, 400},
        {{}, 11, 400},                          // HTTP/1.1 needs a Host
        {{}, 10, 200},                          // HTTP/1.0 may omit it
        {{"localhost", "localhost"}, 11, 400},  // two Host fields
        {{"localhost", "evil.com"}, 11, 400},
        {{"localhost", "localhost"}, 10, 400},
    };
    for (auto const& row : rows) {
        CAPTURE(row.hosts.size());
        CAPTURE(row.hosts.empty() ? std::string_view("(none)") : row.hosts.front());
        CAPTURE(row.version);
        RequestHead req;
        req.method = "GET";
        req.target = "/app.wasm";
        req.version = row.version;
        for (auto h : row.hosts) req.fields.emplace_back("Host", h);
        auto p = handle(req, cfg);
        CHECK(p.status == row.status);
        check_policy(p);
        if (row.status != 200) CHECK(header(p, "Content-Type") == "text/html; charset=utf-8");
    }
}

TEST_CASE("handle: a refused Host gets 403 with a sentence naming --allow-host") {
    auto cfg = config_for(fixture_root());
    RequestHead req;
    req.method = "GET";
    req.target = "/app.wasm";
    req.fields = {{"Host", "Evil.example:8000"}};
    auto refused = handle(req, cfg);
    CHECK(refused.status == 403);
    CHECK(contains(body_of(refused), "<h1>403 Forbidden</h1>"));
    CHECK(contains(body_of(refused), "DNS rebinding"));
    CHECK(contains(body_of(refused), "start wasmdev with --allow-host evil.example."));
    CHECK(refused.content_length == body_of(refused).size());
    CHECK_FALSE(contains(body_of(refused), wasm_bytes));

    cfg.allow_hosts = {"evil.example"};
    CHECK(handle(req, cfg).status == 200);
    cfg.allow_hosts = {"*"};
    CHECK(handle(req, cfg).status == 200);

    // Bound to every interface the check stays: a foreign name is refused, the page says which
    // names this bind answers to; IP literals and this machine's names are answered.
    auto open = config_for(fixture_root());
    open.server.bind = "0.0.0.0";
    open.bind_is_loopback = false;
    open.machine_names = {"devbox", "devbox.local"};
    auto const lan_refused = handle(req, open);
    CHECK(lan_refused.status == 403);
    CHECK(contains(body_of(lan_refused), "IP addresses and this machine&#39;s own names"));
    CHECK(contains(body_of(lan_refused), "start wasmdev with --allow-host evil.example."));
    struct Row {
        std::string_view host, target;
        unsigned status;
    };
    Row const rows[] = {
        {"192.168.1.20:8000", "/app.wasm", 200},
        {"[fd00::2]:8000", "/app.wasm", 200},
        {"devbox:8000", "/app.wasm", 200},
        {"DEVBOX.local", "/app.wasm", 200},
        {"localhost:8000", "/app.wasm", 200},
        {"devbox.evil.example", "/app.wasm", 403},
        {"devbox", "http://evil.example/app.wasm", 403},  // an absolute-form target is a Host too
        {"a b", "/app.wasm", 400},                        // malformed is a 400 whatever the bind
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CAPTURE(row.target);
        req.fields = {{"Host", row.host}};
        req.target = row.target;
        CHECK(handle(req, open).status == row.status);
    }
    req.target = "/app.wasm";
    req.fields = {{"Host", "evil.example"}};
    open.allow_hosts = {"*"};
    CHECK(handle(req, open).status == 200);
}

TEST_CASE("handle: an absolute-form target is checked like a Host") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        std::string_view target;
        std::string_view host;
        unsigned status;
    };
    Row const rows[] = {
        {"http://localhost/app.wasm", "localhost", 200},
        {"http://localhost:8000/app.wasm", "localhost:8000", 200},
        {"http://evil.com/app.wasm", "localhost", 403},
        {"http://localhost/app.wasm", "evil.com", 403},
        {"http://evil.com:8000/app.wasm", "localhost:8000", 403},
        {"http://[::2]/app.wasm", "localhost", 403},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        CAPTURE(row.host);
        RequestHead req;
        req.method = "GET";
        req.target = row.target;
        req.fields = {{"Host", row.host}};
        auto p = handle(req, cfg);
        CHECK(p.status == row.status);
        if (row.status == 200) CHECK(body_of(p) == wasm_bytes);
    }
}

// "127.0.0.1.evil.com" is one host name (RFC 3986 §3.2.2), yet parse_target hands the
// Host check "127.0.0.1" and serves the rest as a path; "localhost:8000abc" is no
// authority at all (port = *DIGIT) and is a 400, not a lookup of "/abc/app.wasm".
TEST_CASE("handle: an absolute-form authority is checked whole") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        std::string_view target;
        std::string_view host;
        unsigned status;
    };
    Row const rows[] = {
        {"http://127.0.0.1.evil.com/app.wasm", "127.0.0.1", 403},
        {"http://127.0.0.1.evil.com/", "127.0.0.1", 403},
        {"http://localhost:8000abc/app.wasm", "localhost:8000", 400},
        {"http://127.0.0.1app.wasm", "127.0.0.1", 403},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        RequestHead req;
        req.method = "GET";
        req.target = row.target;
        req.fields = {{"Host", row.host}};
        auto p = handle(req, cfg);
        CHECK(p.status == row.status);
        CHECK_FALSE(contains(body_of(p), wasm_bytes));
    }
}

// RFC 9112 §3.2 / RFC 9110 §4.2.1: an http URI with an empty host is invalid, and the Host
// check (docs/design.md#host-check) answers only named hosts; an empty Host is neither localhost nor an --allow-host.
TEST_CASE("handle: an empty Host is refused") {
    auto const cfg = config_for(fixture_root());
    RequestHead req;
    req.method = "GET";
    req.target = "/app.wasm";
    req.fields = {{"Host", ""}};
    auto p = handle(req, cfg);
    CHECK(p.status == 400);
    CHECK_FALSE(contains(body_of(p), wasm_bytes));
}

TEST_CASE("handle: Transfer-Encoding other than a lone chunked is a 400 that closes") {
    auto const cfg = config_for(fixture_root());
    struct Row {
        Fields fields;
        unsigned status;
        bool close;
    };
    Row const rows[] = {
        {{{"Transfer-Encoding", "chunked"}}, 200, false},
        {{{"Transfer-Encoding", "Chunked"}}, 200, false},
        {{{"Transfer-Encoding", "gzip"}}, 400, true},
        {{{"Transfer-Encoding", "chunked, gzip"}}, 400, true},
        {{{"Transfer-Encoding", "chunked"}, {"Content-Length", "0"}}, 400, true},
        {{{"Transfer-Encoding", "chunked"}, {"Transfer-Encoding", "chunked"}}, 400, true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.fields.front().second);
        CAPTURE(row.fields.size());
        auto p = get("/app.wasm", cfg, row.fields);
        CHECK(p.status == row.status);
        CHECK(p.close == row.close);
        check_policy(p);
    }
}

// The keys of an object, in the order the text has them.
static std::vector<std::string> keys_of(boost::json::value const& v) {
    std::vector<std::string> keys;
    if (auto const* o = v.if_object())
        for (auto const& kv : *o) keys.emplace_back(kv.key());
    return keys;
}

TEST_CASE("handle: /__wasmdev/stats.json is one JSON object whose counters keep their names, order and types") {
    TempSite site;
    auto const cfg = config_for(site.root);
    wasmdev::compress::CompressCache cache(1 << 20, [](std::function<void()>) {});
    std::atomic<std::size_t> open{3}, sending{1}, streams{2};
    HandshakeStats tls;
    tls.cap = 4;
    tls.peak = 1;
    for (bool with_tls : {false, true}) {
        CAPTURE(with_tls);
        Services services{&cache, nullptr, &open, &sending, nullptr, &streams, with_tls ? &tls : nullptr};
        RequestHead req;
        req.method = "GET";
        req.target = "/__wasmdev/stats.json";
        req.fields.emplace_back("Host", "localhost:8000");
        auto const p = handle(req, cfg, services);
        CHECK(p.status == 200);
        CHECK(header(p, "Content-Type") == "application/json");
        auto const body = body_of(p);
        CAPTURE(body);
        CHECK(body.ends_with("}\n"));
        boost::system::error_code ec;
        auto const v = boost::json::parse(body, ec);
        REQUIRE_FALSE(ec);
        auto const top = with_tls
                             ? std::vector<std::string>{"connections", "responses", "tls", "reload", "compress_cache"}
                             : std::vector<std::string>{"connections", "responses", "reload", "compress_cache"};
        CHECK(keys_of(v) == top);
        CHECK(v.at("connections").at("open") == 3);
        CHECK(v.at("responses").at("being_sent") == 1);
        CHECK(keys_of(v.at("reload")) == std::vector<std::string>{"event_streams", "pages_injected"});
        CHECK(v.at("reload").at("event_streams") == 2);
        CHECK(keys_of(v.at("compress_cache")) ==
              std::vector<std::string>{"compressions_started", "compressions_completed", "compressions_failed", "hits",
                                       "misses", "evictions", "stale_dropped", "entries", "bytes_held",
                                       "bytes_held_peak", "seconds_compressing", "input_bytes_compressed"});
        CHECK(v.at("compress_cache").at("hits") == 0);
        CHECK(v.at("compress_cache").at("seconds_compressing").is_number());
        if (with_tls) {
            CHECK(keys_of(v.at("tls")) == std::vector<std::string>{"handshakes_in_progress", "handshakes_peak",
                                                                   "handshakes_waiting", "handshake_cap"});
            CHECK(v.at("tls").at("handshake_cap") == 4);
            CHECK(v.at("tls").at("handshakes_peak") == 1);
        }
    }
}

TEST_CASE("handle: /__wasmdev/ is served from the embedded site under any root") {
    TempSite site;  // holds a real __wasmdev/index.html that must stay shadowed
    auto const cfg = config_for(site.root);

    auto bare = get("/__wasmdev", cfg);
    CHECK(bare.status == 301);
    CHECK(header(bare, "Location") == "/__wasmdev/");
    check_policy(bare);
    CHECK(get("/__wasmdev/nothing-here", cfg).status == 404);
    CHECK(get("/__wasmdev/.hidden", cfg).status == 404);

    auto stats = get("/__wasmdev/stats.json", cfg);
    CHECK(stats.status == 200);
    CHECK(header(stats, "Content-Type") == "application/json");
    CHECK(body_of(stats) == "{}\n");

    auto page = get("/__wasmdev/", cfg);
    CHECK_FALSE(contains(body_of(page), "shadow"));
    check_policy(page);
    auto const* index = wasmdev::www::find_asset("");
    if (wasmdev::www::assets().empty() || !index) {
        CHECK(page.status == 404);
        return;
    }
    CHECK(page.status == 200);
    CHECK(header(page, "Content-Type") == "text/html; charset=utf-8");
    CHECK(body_of(page) == index->data);
    CHECK(page.content_length == index->data.size());
    for (auto const& asset : wasmdev::www::assets()) {
        CAPTURE(asset.path);
        auto target = "/__wasmdev/" + std::string(asset.path);
        auto p = get(target, cfg);
        CHECK(p.status == 200);
        CHECK(header(p, "Content-Type") == wasmdev::mime::type_for(asset.path));
        CHECK(body_of(p) == asset.data);
        CHECK(p.content_length == asset.data.size());
        check_policy(p);
        auto h = request("HEAD", target, cfg);
        CHECK(h.headers == p.headers);
        CHECK_FALSE(h.has_body());
        auto again = get(target, cfg, {{"If-None-Match", header(p, "ETag")}});
        CHECK(again.status == 304);
    }
}

TEST_CASE("handle: --header overrides policy headers and --coep off - --corp change them everywhere") {
    TempSite site;
    auto cfg = config_for(site.root);
    cfg.extra_headers = {{"Cache-Control", "max-age=5"}, {"Access-Control-Allow-Origin", "*"}};
    cfg.coep = CoepMode::off;
    cfg.corp = CorpMode::cross_origin;
    for (std::string_view target : {"/app.wasm", "/sub/", "/sub", "/nope", "/escape", "/__wasmdev", "/a%00"}) {
        CAPTURE(target);
        auto p = get(target, cfg);
        CHECK(header(p, "Cache-Control") == "max-age=5");
        CHECK(header_count(p, "Cache-Control") == 1);
        CHECK(header(p, "Access-Control-Allow-Origin") == "*");
        CHECK(header(p, "Cross-Origin-Embedder-Policy") == "(absent)");
        CHECK(header(p, "Cross-Origin-Resource-Policy") == "cross-origin");
        CHECK(header(p, "Cross-Origin-Opener-Policy") == "same-origin");
        CHECK(header(p, "X-Content-Type-Options") == "nosniff");
    }
    cfg.coep = CoepMode::credentialless;
    CHECK(header(get("/app.wasm", cfg), "Cross-Origin-Embedder-Policy") == "credentialless");
}

// docs/design.md#header-flag: --header adds or overrides. A --header naming a header the handler sets itself
// (Content-Type here) must not produce two of them: two Content-Types are ambiguous (RFC 9110
// §8.3) and browsers then refuse streaming compilation of .wasm.
TEST_CASE("handle: a --header never duplicates a header the handler sets") {
    auto cfg = config_for(fixture_root());
    cfg.extra_headers = {{"Content-Type", "application/wasm"}};
    for (std::string_view target : {"/app.wasm", "/nope", "/docs/"}) {
        CAPTURE(target);
        CHECK(header_count(get(target, cfg), "Content-Type") == 1);
    }
}

// Browsers send '[' ']' '|' raw in paths and '{' '}' '|' '^' '%' raw in queries (WHATWG URL).
// docs/design.md#paths: the query is ignored for file lookup, and an awkward file name is still a file.
TEST_CASE("handle: targets as browsers send them still find the file") {
    TempSite site;
    auto const cfg = config_for(site.root);
    struct Row {
        std::string_view target;
        std::string_view bytes;
    };
    Row const rows[] = {
        {"/x[1].js", "bracket"},
        {"/x%5B1%5D.js", "bracket"},
        {"/app.js?v={1}", "export const answer = 42;\n"},
        {"/app.js?a|b", "export const answer = 42;\n"},
        {"/app.js?p=100%", "export const answer = 42;\n"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.target);
        auto p = get(row.target, cfg);
        CHECK(p.status == 200);
        CHECK(body_of(p) == row.bytes);
    }
}

// Decide, then act (docs/design.md#decide-then-act): the compression starts only for a GET that will send its body.
TEST_CASE("handle: a 304 - 412 - 416 and a HEAD start no compression  the GET that sends the body does") {
    TempSite site;
    auto cfg = config_for(site.root);
    cfg.root_fd = site.root_fd;
    std::string js(200000, 'x');
    for (std::size_t i = 0; i < js.size(); i += 7) js[i] = char('a' + i % 26);
    std::ofstream(site.root / "big.js") << js;
    std::vector<std::function<void()>> queued;  // jobs are held, not run: the test sees what was asked
    wasmdev::compress::CompressCache cache(1 << 26,
                                           [&](std::function<void()> job) { queued.push_back(std::move(job)); });
    Services const services{&cache};
    auto call = [&](std::string_view method, Fields extra, unsigned version = 11) {
        RequestHead req;
        req.method = method;
        req.version = version;
        req.target = "/big.js";
        req.fields = {{"Host", "localhost"}, {"Accept-Encoding", "gzip"}};
        for (auto const& f : extra) req.fields.push_back(f);
        return handle(req, cfg, services);
    };
    auto const head = call("HEAD", {});
    CHECK(head.status == 200);
    CHECK(header(head, "Content-Encoding") == "gzip");
    CHECK_FALSE(head.content_length);  // announced as chunked, as a GET of a body not made yet
    CHECK_FALSE(is_stream(head));
    auto const etag = header(head, "ETag");
    struct Row {
        std::string_view name, value;
        unsigned status;
    };
    Row const rows[] = {
        {"If-None-Match", etag, 304},
        {"If-Match", "\"another\"", 412},
        {"Range", "bytes=999999-", 416},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        auto const p = call("GET", {{row.name, row.value}});
        CHECK(p.status == row.status);
        CHECK_FALSE(is_stream(p));
    }
    // HTTP/1.0 gets identity until a compressed body is finished; its 304 starts nothing either.
    auto const identity_etag = header(call("HEAD", {}, 10), "ETag");
    CHECK(identity_etag != etag);
    CHECK(call("GET", {{"If-None-Match", identity_etag}}, 10).status == 304);
    CHECK(cache.stats().compressions_started == 0);
    auto const get = call("GET", {});
    CHECK(is_stream(get));
    CHECK(get.headers == head.headers);
    CHECK(cache.stats().compressions_started == 1);
}
