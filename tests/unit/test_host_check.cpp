#include <doctest/doctest.h>

#include "server/http/host_check.hpp"

using namespace wasmdev::http;

TEST_CASE("is_allowed_host: localhost names pass - everything else needs --allow-host") {
    std::vector<std::string> const allow{"dev.example", "10.0.0.5"};
    struct Row { std::string_view host; bool allowed; };
    Row const rows[] = {
        {"localhost", true}, {"LOCALHOST:8000", true}, {"127.0.0.1:1", true}, {"[::1]:8000", true},
        {"[::1]", true}, {"foo.localhost", true}, {"a.b.localhost:9", true}, {"localhost.", true},
        {"dev.example", true}, {"DEV.example:443", true}, {"10.0.0.5:8000", true},
        {"evil.com", false}, {"127.0.0.1.evil.com", false}, {"localhost.evil.com", false},
        {"localhostx", false}, {"127.0.0.2", false}, {"[::1", false}, {"[::1]x", false},
        {"localhost:abc", false}, {"localhost:", false}, {"", false}, {"local host", false},
        {"localhost:123456", false}, {"evil.com/localhost", false}, {"[::2]", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CHECK(is_allowed_host(row.host, "127.0.0.1", allow) == row.allowed);
    }
    CHECK(is_allowed_host("anything.example", "127.0.0.1", {"*"}));
    CHECK(is_allowed_host("[::1]", "::1", {}));
    CHECK(is_allowed_host("127.0.0.2:80", "127.0.0.2", {}));  // the bound address itself
}

TEST_CASE("host_without_port: lower case - brackets kept - malformed is empty") {
    CHECK(host_without_port("Example.COM:80") == "example.com");
    CHECK(host_without_port("[::1]:80") == "[::1]");
    CHECK(host_without_port("a:b:c").empty());
    CHECK(host_without_port("exa mple").empty());
}
