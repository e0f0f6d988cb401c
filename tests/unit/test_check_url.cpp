// check's URLs (server/check/url): what the command accepts, references resolved as a browser
// does, and origins compared with default ports made explicit.
#include <doctest/doctest.h>

#include <string>

#include "server/check/url.hpp"

using namespace wasmdev::check;

TEST_CASE("split_url: http and https with a host; anything else is one line naming the problem") {
    struct Row {
        std::string url;
        bool ok;
        std::string host, port, target, error_part;
    };
    Row const rows[] = {
        {"http://127.0.0.1:8000/", true, "127.0.0.1", "8000", "/", ""},
        {"https://example.com", true, "example.com", "443", "/", ""},
        {"http://example.com/a%20b.html?x=1#frag", true, "example.com", "80", "/a%20b.html?x=1", ""},
        {"http://[::1]:9/x", true, "::1", "9", "/x", ""},
        {"ftp://example.com/", false, "", "", "", "unsupported scheme ftp"},
        {"file:///etc/passwd", false, "", "", "", "unsupported scheme file"},
        {"example.com", false, "", "", "", "not an absolute URL"},
        {"http:///x", false, "", "", "", "no host"},
        {"http://user:pw@example.com/", false, "", "", "", "credentials"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.url);
        std::string error;
        auto t = split_url(row.url, error);
        REQUIRE(t.has_value() == row.ok);
        if (t) {
            CHECK(t->host == row.host);
            CHECK(t->port == row.port);
            CHECK(t->target == row.target);
        } else {
            CHECK(error.find(row.error_part) != std::string::npos);
        }
    }
}

TEST_CASE("resolve_url and origin_of: relative references, fragments dropped, default ports explicit") {
    CHECK(resolve_url("http://h:1/a/b.html", "c.js") == "http://h:1/a/c.js");
    CHECK(resolve_url("http://h:1/a/b.html", "../c.js#x") == "http://h:1/c.js");
    CHECK(resolve_url("http://h:1/a/b.html", "//cdn.example/x.js") == "http://cdn.example/x.js");
    CHECK(resolve_url("http://h/a/", "https://o/x.wasm") == "https://o/x.wasm");
    CHECK_FALSE(resolve_url("http://h/a/", "mailto:x@y").has_value());
    CHECK(origin_of("https://Example.com/x") == "https://example.com:443");
    CHECK(origin_of("https://example.com:443/y") == origin_of("https://example.com/z"));
    CHECK(origin_of("http://example.com:8080/") != origin_of("http://example.com/"));
    CHECK(host_of("http://LocalHost:3/") == "localhost");
    CHECK(origin_field("https://Example.com:443/a") == "https://example.com");
    CHECK(origin_field("http://127.0.0.1:8000/a") == "http://127.0.0.1:8000");
    CHECK(path_of("http://h/a/b.wasm?q") == "/a/b.wasm");
}
