// The DNS-rebinding Host check: localhost names, loopback literals, the bound address and
// --allow-host entries pass on every bind, with any port; beyond loopback also IP literals and
// this machine's names; everything else, and anything malformed, does not.
#include <doctest/doctest.h>

#include "server/http/host_check.hpp"

using namespace wasmdev::http;

TEST_CASE("is_allowed_host: localhost names pass - everything else needs --allow-host") {
    std::vector<std::string> const allow{"dev.example", "10.0.0.5", "[fe80::1]"};
    struct Row {
        std::string_view host;
        bool allowed;
    };
    Row const rows[] = {
        // Always answered: localhost, 127.0.0.1, [::1] (any port), *.localhost.
        {"localhost", true},
        {"LOCALHOST:8000", true},
        {"LocalHost", true},
        {"localhost:0", true},
        {"localhost:65535", true},
        {"127.0.0.1", true},
        {"127.0.0.1:1", true},
        {"[::1]", true},
        {"[::1]:8000", true},
        {"foo.localhost", true},
        {"FOO.LOCALHOST:3000", true},
        {"a.b.localhost:9", true},
        {"localhost.", true},  // the same host, fully qualified
        {"localhost.:8000", true},
        {"foo.localhost.", true},
        // --allow-host entries, case-insensitive, any port.
        {"dev.example", true},
        {"DEV.example:443", true},
        {"10.0.0.5:8000", true},
        {"[fe80::1]:8000", true},
        {"[FE80::1]", true},
        // DNS rebinding and look-alikes.
        {"evil.com", false},
        {"evil.com:8000", false},
        {"127.0.0.1.evil.com", false},
        {"localhost.evil.com", false},
        {"localhost.evil.com.", false},
        {"evillocalhost", false},
        {"localhostx", false},
        {"xlocalhost", false},
        {"sub.dev.example", false},  // an allowed name does not allow its subdomains
        {"127.0.0.2", false},
        {"[::2]", false},
        {"0.0.0.0", false},
        // Malformed.
        {"[::1", false},
        {"[::1]x", false},
        {"[::1]:", false},
        {"[::1]]", false},
        {"::1", false},  // IPv6 without brackets
        {"localhost:abc", false},
        {"localhost:", false},
        {"localhost:123456", false},
        {"localhost:8000:9000", false},
        {":8000", false},
        {"", false},
        {" ", false},
        {"local host", false},
        {" localhost", false},
        {"localhost ", false},
        {"localhost\t", false},
        {"evil.com/localhost", false},
        {"evil.com\\localhost", false},
        {"evil.com#.localhost", false},
        {"evil.com?.localhost", false},
        {"user@localhost", false},
        {"localhost\r\nX: y", false},
        {"%6cocalhost", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CHECK(is_allowed_host(row.host, "127.0.0.1", {}, allow) == row.allowed);
    }
}

TEST_CASE("is_allowed_host: the bound address - a star - and allow-host entries written loosely") {
    struct Row {
        std::string_view host;
        std::string_view bind;
        std::vector<std::string> allow;
        bool allowed;
    };
    Row const rows[] = {
        {"[::1]", "::1", {}, true},
        {"127.0.0.2:80", "127.0.0.2", {}, true},  // the bound address itself
        {"127.0.0.3:80", "127.0.0.2", {}, false},
        {"anything.example", "127.0.0.1", {"*"}, true},
        {"anything.example:1", "127.0.0.1", {"*"}, true},
        {"dev.example", "127.0.0.1", {"Dev.Example"}, true},  // entries are compared lower-cased
        {"dev.example", "127.0.0.1", {"dev.example:8000"}, true},
        {"dev.example", "127.0.0.1", {"dev.example."}, true},
        {"dev.example", "127.0.0.1", {""}, false},
        {"dev.example", "127.0.0.1", {"other.example"}, false},
        {"", "127.0.0.1", {"*"}, false},  // malformed stays refused
        {"[::1", "127.0.0.1", {"*"}, false},
        // An IPv4-mapped bind: the Host a browser sends is the address, spelled either way.
        {"[::ffff:127.0.0.1]:8000", "::ffff:127.0.0.1", {}, true},
        {"[::ffff:7f00:1]:8000", "::ffff:127.0.0.1", {}, true},
        {"[::FFFF:7F00:1]", "::ffff:127.0.0.1", {}, true},
        {"[::ffff:7f00:2]", "::ffff:127.0.0.1", {}, false},
        {"evil.test", "::ffff:127.0.0.1", {}, false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CAPTURE(row.bind);
        CHECK(is_allowed_host(row.host, row.bind, {}, row.allow) == row.allowed);
    }
}

TEST_CASE("is_allowed_host: a bind beyond loopback keeps the check - IP literals and this machine's names pass") {
    std::vector<std::string> const machine{"devbox", "devbox.local"};
    struct Row {
        std::string_view host;
        std::string_view bind;
        std::vector<std::string> allow;
        bool allowed;
    };
    Row const rows[] = {
        // A rebinding page sends its own name: refused on every bind.
        {"evil.example", "0.0.0.0", {}, false},
        {"evil.example:8000", "::", {}, false},
        {"evil.example", "192.168.1.20", {}, false},
        {"devbox.evil.example", "0.0.0.0", {}, false},
        {"sub.devbox", "0.0.0.0", {}, false},
        {"devboxx", "0.0.0.0", {}, false},
        {"1.2.3.4.nip.io", "0.0.0.0", {}, false},  // a name that spells an address is a name
        {"2130706433", "0.0.0.0", {}, false},      // so is a number: browsers send dotted quads
        {"[evil.example]", "0.0.0.0", {}, false},
        // Localhost names, as on loopback.
        {"localhost:8000", "0.0.0.0", {}, true},
        {"127.0.0.1:8000", "0.0.0.0", {}, true},
        {"[::1]", "::", {}, true},
        {"app.localhost", "0.0.0.0", {}, true},
        // IP literals: the bound one and any other (a phone on the LAN, a port forward).
        {"0.0.0.0:8000", "0.0.0.0", {}, true},
        {"192.168.1.20:8000", "0.0.0.0", {}, true},
        {"10.1.2.3", "192.168.1.20", {}, true},
        {"[fd00::2]:8000", "::", {}, true},
        {"[2001:db8::5]", "0.0.0.0", {}, true},
        // This machine's names, any case and port, a trailing dot.
        {"devbox", "0.0.0.0", {}, true},
        {"DevBox:8000", "0.0.0.0", {}, true},
        {"devbox.local.", "::", {}, true},
        {"devbox.local:8000", "192.168.1.20", {}, true},
        // --allow-host, and '*' the explicit opt-out.
        {"evil.example", "0.0.0.0", {"evil.example"}, true},
        {"other.example", "0.0.0.0", {"evil.example"}, false},
        {"evil.example:1", "0.0.0.0", {"*"}, true},
        {"[::1", "0.0.0.0", {"*"}, false},
        // A loopback bind stays narrow: other addresses and the machine's names need --allow-host.
        {"devbox", "127.0.0.1", {}, false},
        {"192.168.1.20", "127.0.0.1", {}, false},
        {"[fd00::2]", "::1", {}, false},
        {"devbox", "127.0.0.1", {"devbox"}, true},
    };
    for (auto const& row : rows) {
        CAPTURE(row.host);
        CAPTURE(row.bind);
        CHECK(is_allowed_host(row.host, row.bind, machine, row.allow) == row.allowed);
    }
}

TEST_CASE("host_refusal: names the host and the flag that allows it - and what this bind answers to") {
    auto const loopback = host_refusal("Evil.Example:8000", true);
    CHECK(loopback.find("the Host evil.example:") != std::string::npos);
    CHECK(loopback.find("answers only to localhost names,") != std::string::npos);
    CHECK(loopback.find("DNS rebinding") != std::string::npos);
    CHECK(loopback.ends_with("start wasmdev with --allow-host evil.example."));
    auto const lan = host_refusal("[fe80::9]:80", false);
    CHECK(lan.find("localhost names, IP addresses and this machine's own names") != std::string::npos);
    CHECK(lan.ends_with("start wasmdev with --allow-host [fe80::9]."));
    CHECK(host_refusal("a b", true).ends_with("--allow-host NAME."));
}

TEST_CASE("host_without_port: lower case - brackets kept - trailing dot dropped - malformed is empty") {
    struct Row {
        std::string_view in;
        std::string_view out;
    };
    Row const rows[] = {
        {"Example.COM:80", "example.com"},
        {"example.com", "example.com"},
        {"example.com.", "example.com"},
        {"[::1]:80", "[::1]"},
        {"[::1]", "[::1]"},
        {"127.0.0.1:8000", "127.0.0.1"},
        {"a:b:c", ""},
        {"exa mple", ""},
        {"[::1", ""},
        {"[::1]x", ""},
        {"host:", ""},
        {"host:abc", ""},
        {"", ""},
        {"a/b", ""},
        {"a@b", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.in);
        CHECK(host_without_port(row.in) == row.out);
    }
}

TEST_CASE("is_loopback_address: loopback binds keep the Host check - IPv4-mapped loopback included") {
    struct Row {
        std::string_view address;
        bool loopback;
    };
    Row const rows[] = {
        {"127.0.0.1", true},
        {"127.1.2.3", true},  // all of 127.0.0.0/8
        {"::1", true},
        {"0:0:0:0:0:0:0:1", true},
        {"::ffff:127.0.0.1", true},  // IPv4-mapped: the kernel routes it to 127.0.0.1
        {"::FFFF:7f00:1", true},
        {"::ffff:127.255.0.9", true},
        {"0.0.0.0", false},
        {"::", false},
        {"::ffff:10.0.0.1", false},
        {"::ffff:0.0.0.0", false},
        {"::127.0.0.1", false},  // IPv4-compatible (deprecated) is not loopback
        {"10.0.0.1", false},
        {"fe80::1", false},
        {"localhost", false},  // --bind takes an address
        {"[::1]", false},
        {"", false},
        {"127.0.0.1 ", false},
    };
    for (auto const& row : rows) {
        CAPTURE(row.address);
        CHECK(is_loopback_address(row.address) == row.loopback);
    }
}
