// Integration tests of `serve` over real sockets (docs/design.md#serving): the in-process
// server on 127.0.0.1 port 0, raw HTTP/1.1 clients, every call with a deadline.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/integration/support.hpp"

using namespace wasmdev;
using namespace wasmdev::test;

namespace {

struct Site {
    TempTree dir;
    std::filesystem::path root;
    Site() {
        dir.write("secret.txt", "outside the root");
        root = dir.path / "root";
        dir.write("root/index.html", "<h1>home</h1>");
        dir.write("root/app.wasm", std::string("\0asm\1\0\0\0", 8) + std::string(4000, 'x'));
        dir.write("root/app.js", "console.log(1)");
        dir.write("root/a b & c.txt", "awkward");
        dir.write("root/sub/inner.txt", "inner");
        dir.write("root/.git/config", "[core]");
        dir.write("root/big.bin", pseudo_random_bytes(8 << 20, 7));
        std::filesystem::create_symlink(dir.path / "secret.txt", root / "escape.txt");
        std::filesystem::create_symlink(root / "app.js", root / "inside-link.js");
    }
};

void check_policy_headers(Response const& r) {
    CAPTURE(r.status);
    CHECK(r.header("Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(r.header("Cross-Origin-Embedder-Policy") == "require-corp");
    CHECK(r.header("Cross-Origin-Resource-Policy") == "same-site");
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Cache-Control") == "no-cache");
}

}  // namespace

TEST_CASE("serve: policy headers on 200 - 204 - 301 - 403 - 404 - 405 and on a 400 for a malformed request") {
    Site site;
    TestServer srv(config_for(site.root));
    struct Row {
        std::string_view method, target;
        unsigned status;
    };
    Row const rows[] = {
        {"GET", "/app.wasm", 200},   {"OPTIONS", "/", 204},      {"GET", "/sub", 301},
        {"GET", "/escape.txt", 403}, {"GET", "/nope.wasm", 404}, {"DELETE", "/app.wasm", 405},
        {"GET", "/__wasmdev", 301},
    };
    for (auto const& row : rows) {
        CAPTURE(row.method);
        CAPTURE(row.target);
        auto r = request(srv.port(), row.method, row.target);
        CHECK(r.status == row.status);
        check_policy_headers(r);
    }
    RawClient c(srv.port());
    c.send("GET /app.wasm HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n");
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK_FALSE(r->keep_alive);
    check_policy_headers(*r);
}

TEST_CASE("serve: exact types for wasm and JavaScript - bytes as on disk") {
    Site site;
    TestServer srv(config_for(site.root));
    auto wasm = request(srv.port(), "GET", "/app.wasm");
    CHECK(wasm.header("Content-Type") == "application/wasm");
    CHECK(wasm.body == read_file(site.root / "app.wasm"));
    auto js = request(srv.port(), "GET", "/app.js");
    CHECK(js.header("Content-Type") == "text/javascript");
    auto awkward = request(srv.port(), "GET", "/a%20b%20%26%20c.txt");
    CHECK(awkward.status == 200);
    CHECK(awkward.body == "awkward");
    auto big = request(srv.port(), "GET", "/big.bin");
    CHECK(big.header("Content-Length") == std::to_string(8 << 20));
    CHECK(big.body == read_file(site.root / "big.bin"));
}

TEST_CASE("serve: HEAD has GET's headers and no body - and the connection stays usable") {
    Site site;
    TestServer srv(config_for(site.root));
    RawClient c(srv.port());
    c.send(request_line("HEAD", "/app.wasm"));
    auto head = c.read(true);
    REQUIRE(head);
    c.send(request_line("GET", "/app.wasm"));
    auto get = c.read();
    REQUIRE(get);
    CHECK(head->status == 200);
    CHECK(head->body.empty());
    CHECK(head->header("Content-Length") == get->header("Content-Length"));
    CHECK(head->header("Content-Type") == get->header("Content-Type"));
    CHECK(get->body == read_file(site.root / "app.wasm"));
}

TEST_CASE("serve: pipelined requests are answered in order on one connection") {
    Site site;
    TestServer srv(config_for(site.root));
    RawClient c(srv.port());
    c.send(request_line("GET", "/app.js") + request_line("GET", "/sub/inner.txt") + request_line("HEAD", "/app.js") +
           request_line("GET", "/a%20b%20%26%20c.txt"));
    auto r1 = c.read();
    auto r2 = c.read();
    auto r3 = c.read(true);
    auto r4 = c.read();
    REQUIRE((r1 && r2 && r3 && r4));
    CHECK(r1->body == "console.log(1)");
    CHECK(r2->body == "inner");
    CHECK(r3->status == 200);
    CHECK(r4->body == "awkward");
}

// Small files are read into a buffer the thread's sessions share; a client that stops
// reading leaves part of a response unsent, which must then be held by its own session.
// Two clients on one thread pipeline many requests for different 40-64 KB files, read
// nothing until the socket buffers are full, then read it all: every body must be its own.
TEST_CASE("serve: small files stay intact when clients stop reading mid-response on one thread") {
    TempTree dir;
    std::vector<std::string> bodies;
    for (unsigned i = 0; i < 6; ++i) {
        bodies.push_back(pseudo_random_bytes(40000 + i * 4000, 100 + i));
        dir.write("f" + std::to_string(i) + ".bin", bodies.back());
    }
    auto cfg = config_for(dir.path);
    cfg.server.threads = 1;
    TestServer srv(cfg);
    constexpr unsigned per_client = 400;  // ~20 MB each: more than the socket buffers hold
    RawClient a(srv.port(), 10s), b(srv.port(), 10s);
    std::string pipeline_a, pipeline_b;
    for (unsigned i = 0; i < per_client; ++i) {
        pipeline_a += request_line("GET", "/f" + std::to_string(i % 6) + ".bin");
        pipeline_b += request_line("GET", "/f" + std::to_string((i + 3) % 6) + ".bin");
    }
    a.send(pipeline_a);
    b.send(pipeline_b);
    // Both sessions are mid-response, each waiting on its full socket with the rest of a file
    // that was in the thread's shared buffer: the stats request is served on the same single
    // thread, so the two responses it counts are suspended in their writes. (The sockets fill
    // in milliseconds; the bound only keeps a broken server from hanging the test.)
    REQUIRE(eventually([&] { return stats_number(srv.port(), "responses.being_sent") == 2; }, 10s));
    for (unsigned i = 0; i < per_client; ++i) {
        CAPTURE(i);
        auto ra = a.read();
        auto rb = b.read();
        REQUIRE((ra && rb));
        CHECK(ra->body == bodies[i % 6]);
        CHECK(rb->body == bodies[(i + 3) % 6]);
    }
}

TEST_CASE("serve: traversal in raw request targets never reaches outside the root") {
    Site site;
    TestServer srv(config_for(site.root));
    std::string_view const targets[] = {
        "/../secret.txt",           "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",     "/..%2fsecret.txt",
        "/..%5csecret.txt",         "/.%2e/secret.txt",
        "/%252e%252e/secret.txt",   "/sub/../../secret.txt",
        "/%c0%ae%c0%ae/secret.txt", "http://127.0.0.1/../secret.txt",
        "/..\\secret.txt",          "/escape.txt",
        "/%00/../secret.txt",       "/.git/config",
        "/%2egit/config",
    };
    for (auto t : targets) {
        CAPTURE(t);
        RawClient c(srv.port());
        c.send(request_line("GET", t));
        auto r = c.read();
        REQUIRE(r);
        CHECK(r->status != 200);
        CHECK(r->body.find("outside the root") == std::string::npos);
        CHECK(r->body.find("[core]") == std::string::npos);
    }
    auto inside = request(srv.port(), "GET", "/inside-link.js");
    CHECK(inside.status == 200);
}

TEST_CASE("serve: --follow-symlinks serves a symlink that leaves the root") {
    Site site;
    auto cfg = config_for(site.root);
    cfg.follow_symlinks = true;
    TestServer srv(cfg);
    auto r = request(srv.port(), "GET", "/escape.txt");
    CHECK(r.status == 200);
    CHECK(r.body == "outside the root");
}

TEST_CASE("serve: a malformed request gets 400 and the server keeps serving") {
    Site site;
    TestServer srv(config_for(site.root));
    std::string_view const garbage[] = {
        "GARBAGE\r\n\r\n",
        "GET /app.js HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n Folded: x\r\n\r\n",
        "GET /app.js HTTP/1.1\r\n\r\n",
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n",
        "GET app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    };
    for (auto g : garbage) {
        CAPTURE(g);
        RawClient c(srv.port());
        c.send(g);
        auto r = c.read();
        REQUIRE(r);
        CHECK(r->status == 400);
        check_policy_headers(*r);
        auto ok = request(srv.port(), "GET", "/app.js");
        CHECK(ok.status == 200);
    }
}

TEST_CASE("serve: a body on a GET is consumed - so it cannot smuggle a second request") {
    Site site;
    TestServer srv(config_for(site.root));
    RawClient c(srv.port());
    std::string smuggled = request_line("GET", "/.git/config");
    c.send("GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(smuggled.size()) +
           "\r\n\r\n" + smuggled + request_line("GET", "/sub/inner.txt"));
    auto r1 = c.read();
    auto r2 = c.read();
    REQUIRE((r1 && r2));
    CHECK(r1->body == "console.log(1)");
    CHECK(r2->body == "inner");  // not the smuggled request's answer

    RawClient chunked(srv.port());
    chunked.send(
        "GET /app.js HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" +
        request_line("GET", "/sub/inner.txt"));
    auto c1 = chunked.read();
    auto c2 = chunked.read();
    REQUIRE((c1 && c2));
    CHECK(c1->status == 200);
    CHECK(c2->body == "inner");
}

TEST_CASE("serve: oversized headers get 431 and a closed connection") {
    Site site;
    TestServer srv(config_for(site.root));
    RawClient c(srv.port());
    c.send(request_line("GET", "/app.js", {"X-Big: " + std::string(64 * 1024, 'a')}));
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(c.closed_by_peer());
}

TEST_CASE("serve: foreign Host headers are refused (DNS rebinding) - localhost names are not") {
    Site site;
    auto cfg = config_for(site.root);
    cfg.allow_hosts = {"dev.example"};
    TestServer srv(cfg);
    struct Row {
        std::string_view host;
        unsigned status;
    };
    Row const rows[] = {
        {"evil.com", 403},       {"127.0.0.1.evil.com:80", 403}, {"localhost.evil.com", 403},
        {"localhost:8000", 200}, {"app.localhost", 200},         {"127.0.0.1", 200},
        {"[::1]:8000", 200},     {"dev.example:1234", 200},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        RawClient c(srv.port());
        c.send(request_line("GET", "/app.js", {}, row.host));
        auto r = c.read();
        REQUIRE(r);
        CHECK(r->status == row.status);
        if (row.status == 403) {
            CHECK(r->body.find("--allow-host") != std::string::npos);
            check_policy_headers(*r);
        }
    }
    RawClient abs(srv.port());
    abs.send(request_line("GET", "http://evil.com/app.js", {}, "localhost"));
    auto r = abs.read();
    REQUIRE(r);
    CHECK(r->status == 403);
}

TEST_CASE("serve: HTTP/1.0 without Host is answered and closed") {
    Site site;
    TestServer srv(config_for(site.root));
    RawClient c(srv.port());
    c.send("GET /app.js HTTP/1.0\r\n\r\n");
    auto r = c.read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "console.log(1)");
    CHECK(c.closed_by_peer());
}

TEST_CASE("serve: directory redirect keeps the query and never yields a protocol-relative Location") {
    Site site;
    TestServer srv(config_for(site.root));
    auto r = request(srv.port(), "GET", "/sub?x=1");
    CHECK(r.status == 301);
    CHECK(r.header("Location") == "/sub/?x=1");
    auto r2 = request(srv.port(), "GET", "//sub");
    CHECK(r2.status == 301);
    CHECK(r2.header("Location") == "/sub/");
    auto listing = request(srv.port(), "GET", "/sub/");
    CHECK(listing.status == 200);
    CHECK(listing.body.find("href=\"/sub/inner.txt\"") != std::string::npos);
    auto root = request(srv.port(), "GET", "/");
    CHECK(root.body == "<h1>home</h1>");
}

TEST_CASE("serve: a client that stops reading blocks nobody else") {
    Site site;
    auto cfg = config_for(site.root);
    cfg.server.threads = 1;  // one serving thread: if the stalled write held it, every request below would hang
    TestServer srv(cfg);
    RawClient stalled(srv.port());
    ::setsockopt(stalled.socket().native_handle(), SOL_SOCKET, SO_RCVBUF, "\0\x10\0\0", 4);
    stalled.send(request_line("GET", "/big.bin"));
    // The stalled response is under way (the thread is not just busy elsewhere): the stats
    // request, on the same single thread, sees it suspended in its write. Bound: 10 s; the
    // write-stall timeout (30 s) does not end it meanwhile.
    REQUIRE(eventually([&] { return stats_number(srv.port(), "responses.being_sent") == 1; }, 10s));
    for (int i = 0; i < 20; ++i) {
        auto r = request(srv.port(), "GET", "/app.js");
        REQUIRE(r.status == 200);
    }
}

TEST_CASE("serve: a client that stops reading is dropped after the write-stall timeout") {
    Site site;
    site.dir.write("root/huge.bin", std::string(32 << 20, 'x'));
    auto cfg = config_for(site.root);
    cfg.server.write_stall_timeout_s = 1;
    TestServer srv(cfg);
    RawClient stalled(srv.port());
    ::setsockopt(stalled.socket().native_handle(), SOL_SOCKET, SO_RCVBUF, "\0\x10\0\0", 4);
    stalled.send(request_line("GET", "/huge.bin"));
    // (The kernel may still be delivering what was queued before the close; what matters is
    // that the server let go: only the stats request itself is open now.) Asked until then,
    // within 15 s: the 1 s timeout plus the sweeper's period plus generous slack for a loaded
    // machine. The answer that saw it counts: asking once more could find the previous stats
    // connection not yet closed ("open": 2) and fail a server that did let go.
    CHECK(eventually([&] { return stats_number(srv.port(), "connections.open") == 1; }, 15s));
    CHECK(request(srv.port(), "GET", "/app.js").status == 200);
}

TEST_CASE("serve: idle connections time out, and a client over the connection limit waits for a free slot") {
    Site site;
    auto cfg = config_for(site.root);
    cfg.server.header_timeout_s = 1;
    cfg.server.max_connections = 2;
    TestServer srv(cfg);
    RawClient idle(srv.port());
    RawClient idle2(srv.port());
    // Over the limit the server stops accepting: the third client waits in the listen
    // backlog until an idle one times out, then gets its file, not a 503 (docs/design.md#connection-limit).
    RawClient third(srv.port());
    third.send(request_line("GET", "/app.js"));
    auto r = third.read();
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(idle.closed_by_peer(3s));
    CHECK(idle2.closed_by_peer(3s));
}

TEST_CASE("serve: clients that hang up in the middle of large bodies cost nothing (no SIGPIPE)") {
    Site site;
    site.dir.write("root/python.wasm", pseudo_random_bytes(16 << 20, 11) + std::string(16 << 20, 'w'));
    auto cfg = config_for(site.root);
    cfg.server.threads = 1;
    TestServer srv(cfg);
    for (std::string_view coding : {"identity", "gzip"}) {
        CAPTURE(coding);
        for (int i = 0; i < 5; ++i) {
            RawClient c(srv.port());
            c.send(request_line("GET", "/python.wasm", {"Accept-Encoding: " + std::string(coding)}));
            // Read what has arrived, then close with an empty receive buffer: the close is a
            // FIN, the server keeps writing, meets RST, and its next write is EPIPE.
            c.wait_for("\r\n\r\n");  // the response has begun
            int fd = c.socket().native_handle();
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
            char buf[65536];
            while (::recv(fd, buf, sizeof buf, 0) > 0) {}
        }
    }
    // Every hung-up session has met its EPIPE (or reset) and ended: only the stats request
    // itself is open. Had that raised SIGPIPE, this process would be dead by now. Bound: 15 s,
    // the writes fail at once.
    CHECK(eventually([&] { return stats_number(srv.port(), "connections.open") == 1; }, 15s));
    auto ok = request(srv.port(), "GET", "/app.js");
    CHECK(ok.status == 200);
}
