// The answer to plain HTTP on the HTTPS port: a 307 to the same URL over https for a Host
// the server answers to (the Host check of every request), a 403 naming --allow-host for a
// foreign one, a 400 page saying to use https for the rest, never a Location that points
// elsewhere; always closing, always with the policy headers.
#include <doctest/doctest.h>

#include "server/http/plain_on_tls.hpp"

using namespace wasmdev::http;

namespace {

std::string header(ResponsePlan const& p, std::string_view name) {
    for (auto const& [n, v] : p.headers)
        if (n == name) return v;
    return "(none)";
}

std::string body(ResponsePlan const& p) {
    auto const* t = std::get_if<TextBody>(&p.body);
    return t ? t->bytes : std::string();
}

}  // namespace

TEST_CASE("answer_plain_http_on_tls_port: a redirect to https for a Host the server answers to, a page otherwise") {
    Config loopback;
    loopback.server.port = 8443;
    Config lan = loopback;
    lan.server.bind = "10.77.0.1";
    lan.bind_is_loopback = false;
    lan.machine_names = {"devbox"};
    struct Row {
        std::string_view what;
        Config const* cfg;
        std::string_view host, target;
        unsigned status;
        std::string_view location;
    };
    Row const rows[] = {
        {"loopback Host", &loopback, "127.0.0.1:8443", "/app.js?x=1", 307, "https://127.0.0.1:8443/app.js?x=1"},
        {"localhost", &loopback, "localhost:8443", "/", 307, "https://localhost:8443/"},
        {"IPv6 loopback", &loopback, "[::1]:8443", "/a%20b", 307, "https://[::1]:8443/a%20b"},
        {"a foreign Host on loopback (DNS rebinding)", &loopback, "evil.example", "/", 403, "(none)"},
        {"a foreign Host on a LAN bind (DNS rebinding)", &lan, "evil.example:8443", "/", 403, "(none)"},
        {"the bound address on a LAN bind", &lan, "10.77.0.1:8443", "/p", 307, "https://10.77.0.1:8443/p"},
        {"another IP literal on a LAN bind", &lan, "192.168.1.20:8443", "/p", 307, "https://192.168.1.20:8443/p"},
        {"this machine's name on a LAN bind", &lan, "DevBox:8443", "/p", 307, "https://DevBox:8443/p"},
        {"no Host", &loopback, "", "/", 400, "(none)"},
        {"a Host with a path", &lan, "evil.example/x", "/", 400, "(none)"},
        {"a Host with userinfo", &lan, "a@evil.example", "/", 400, "(none)"},
        {"a network-path target", &lan, "10.77.0.1:8443", "//evil.example/", 400, "(none)"},
        {"an absolute-form target", &lan, "10.77.0.1:8443", "http://evil.example/", 400, "(none)"},
        {"an asterisk", &lan, "10.77.0.1:8443", "*", 400, "(none)"},
        {"a backslash", &lan, "10.77.0.1:8443", "/\\evil.example", 400, "(none)"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.what);
        RequestHead req;
        req.method = "GET";
        req.target = row.target;
        if (!row.host.empty()) req.fields.emplace_back("Host", row.host);
        auto const p = answer_plain_http_on_tls_port(req, *row.cfg);
        CHECK(p.status == row.status);
        CHECK(header(p, "Location") == row.location);
        CHECK(p.close);
        CHECK(header(p, "Cross-Origin-Opener-Policy") == "same-origin");
        CHECK(body(p).find(p.status == 403 ? "start wasmdev with --allow-host" : "HTTPS only") != std::string::npos);
    }
}
