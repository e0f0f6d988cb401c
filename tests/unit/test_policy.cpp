#include <doctest/doctest.h>

#include "server/http/policy.hpp"

using namespace wasmdev::http;

namespace {
std::string value_of(HeaderList const& h, std::string_view name) {
    for (auto const& [n, v] : h)
        if (iequals(n, name)) return v;
    return "(absent)";
}
}  // namespace

TEST_CASE("policy_headers: isolation - nosniff and revalidation by default") {
    auto h = policy_headers(Config{});
    CHECK(value_of(h, "Cross-Origin-Opener-Policy") == "same-origin");
    CHECK(value_of(h, "Cross-Origin-Embedder-Policy") == "require-corp");
    CHECK(value_of(h, "Cross-Origin-Resource-Policy") == "same-site");
    CHECK(value_of(h, "X-Content-Type-Options") == "nosniff");
    CHECK(value_of(h, "Cache-Control") == "no-cache");
}

TEST_CASE("policy_headers: --coep - --corp and --header change or add - never duplicate") {
    Config cfg;
    cfg.coep = CoepMode::off;
    cfg.corp = CorpMode::cross_origin;
    cfg.extra_headers = {{"cache-control", "max-age=60"}, {"X-Extra", "1"}};
    auto h = policy_headers(cfg);
    CHECK(value_of(h, "Cross-Origin-Embedder-Policy") == "(absent)");
    CHECK(value_of(h, "Cross-Origin-Resource-Policy") == "cross-origin");
    CHECK(value_of(h, "Cache-Control") == "max-age=60");
    CHECK(value_of(h, "X-Extra") == "1");
    int cache_controls = 0;
    for (auto const& p : h) cache_controls += iequals(p.first, "Cache-Control");
    CHECK(cache_controls == 1);
    cfg.coep = CoepMode::credentialless;
    CHECK(value_of(policy_headers(cfg), "Cross-Origin-Embedder-Policy") == "credentialless");
}

TEST_CASE("parse_header_arg: 'Name: value' with a token name and no CR/LF") {
    struct Row { std::string_view arg; bool ok; std::string_view name, value; };
    Row const rows[] = {
        {"X-A: b", true, "X-A", "b"},
        {"X-A:b", true, "X-A", "b"},
        {"X-A:   spaced value  ", true, "X-A", "spaced value"},
        {"X-A:", true, "X-A", ""},
        {"NoColon", false, "", ""},
        {": v", false, "", ""},
        {"Bad Name: v", false, "", ""},
        {"X-A: v\r\nInjected: 1", false, "", ""},
        {"X-A: v\nx", false, "", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.arg);
        auto p = parse_header_arg(row.arg);
        REQUIRE(p.has_value() == row.ok);
        if (p) {
            CHECK(p->first == row.name);
            CHECK(p->second == row.value);
        }
    }
    CHECK(parse_coep("credentialless") == CoepMode::credentialless);
    CHECK_FALSE(parse_coep("maybe"));
    CHECK(parse_corp("off") == CorpMode::off);
}
