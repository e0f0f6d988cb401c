// The header policy (docs/design.md#policy-headers): isolation, nosniff and revalidation in one list, changed by
// --coep, --corp and --header; and the parsers for those flags.
#include <doctest/doctest.h>

#include "server/http/policy.hpp"

using namespace wasmdev::http;

namespace {

std::string value_of(ResponseHeaders const& h, std::string_view name) {
    for (auto const& [n, v] : h)
        if (iequals(n, name)) return v;
    return "(absent)";
}

int count_of(ResponseHeaders const& h, std::string_view name) {
    int n = 0;
    for (auto const& p : h) n += iequals(p.first, name);
    return n;
}

}  // namespace

TEST_CASE("policy_headers: the default list exactly and in order") {
    ResponseHeaders const expected{
        {"Cross-Origin-Opener-Policy", "same-origin"},
        {"Cross-Origin-Embedder-Policy", "require-corp"},
        {"Cross-Origin-Resource-Policy", "same-site"},
        {"X-Content-Type-Options", "nosniff"},
        {"Cache-Control", "no-cache"},
    };
    CHECK(policy_headers(Config{}) == expected);
}

TEST_CASE("policy_headers: every --coep and --corp mode") {
    struct Row {
        CoepMode coep;
        CorpMode corp;
        std::string_view coep_value;
        std::string_view corp_value;
    };
    Row const rows[] = {
        {CoepMode::require_corp, CorpMode::same_site, "require-corp", "same-site"},
        {CoepMode::credentialless, CorpMode::same_origin, "credentialless", "same-origin"},
        {CoepMode::off, CorpMode::cross_origin, "(absent)", "cross-origin"},
        {CoepMode::require_corp, CorpMode::off, "require-corp", "(absent)"},
        {CoepMode::off, CorpMode::off, "(absent)", "(absent)"},
    };
    for (auto const& row : rows) {
        CAPTURE(to_string(row.coep));
        CAPTURE(to_string(row.corp));
        Config cfg;
        cfg.coep = row.coep;
        cfg.corp = row.corp;
        auto h = policy_headers(cfg);
        CHECK(value_of(h, "Cross-Origin-Embedder-Policy") == row.coep_value);
        CHECK(value_of(h, "Cross-Origin-Resource-Policy") == row.corp_value);
        // COOP, nosniff and no-cache do not depend on the modes.
        CHECK(value_of(h, "Cross-Origin-Opener-Policy") == "same-origin");
        CHECK(value_of(h, "X-Content-Type-Options") == "nosniff");
        CHECK(value_of(h, "Cache-Control") == "no-cache");
        CHECK(h.size() == 3u + (row.coep != CoepMode::off) + (row.corp != CorpMode::off));
    }
}

TEST_CASE("policy_headers: --header overrides case-insensitively in place - or adds at the end") {
    Config cfg;
    cfg.extra_headers = {
        {"cache-control", "max-age=60"}, {"X-Extra", "1"}, {"cross-origin-opener-policy", "unsafe-none"}};
    auto h = policy_headers(cfg);
    ResponseHeaders const expected{
        {"Cross-Origin-Opener-Policy", "unsafe-none"},
        {"Cross-Origin-Embedder-Policy", "require-corp"},
        {"Cross-Origin-Resource-Policy", "same-site"},
        {"X-Content-Type-Options", "nosniff"},
        {"Cache-Control", "max-age=60"},
        {"X-Extra", "1"},
    };
    CHECK(h == expected);
    CHECK(count_of(h, "Cache-Control") == 1);

    // An override of a header --coep turned off adds it back.
    Config off;
    off.coep = CoepMode::off;
    off.extra_headers = {{"Cross-Origin-Embedder-Policy", "credentialless"}};
    CHECK(value_of(policy_headers(off), "Cross-Origin-Embedder-Policy") == "credentialless");

    // A repeated --header: the last one wins, once.
    Config twice;
    twice.extra_headers = {{"X-A", "1"}, {"x-a", "2"}};
    auto t = policy_headers(twice);
    CHECK(count_of(t, "X-A") == 1);
    CHECK(value_of(t, "X-A") == "2");
}

TEST_CASE("parse_header_arg: 'Name: value' with a token name and no CR - LF or NUL") {
    struct Row {
        std::string_view arg;
        bool ok;
        std::string_view name, value;
    };
    Row const rows[] = {
        {"X-A: b", true, "X-A", "b"},
        {"X-A:b", true, "X-A", "b"},
        {"X-A:   spaced value  ", true, "X-A", "spaced value"},
        {"X-A:\tb\t", true, "X-A", "b"},
        {"X-A:", true, "X-A", ""},
        {"X-A: a: b", true, "X-A", "a: b"},  // only the first colon splits
        {"Cache-Control: max-age=0, must-revalidate", true, "Cache-Control", "max-age=0, must-revalidate"},
        {"x!#$%&'*+-.^_`|~: v", true, "x!#$%&'*+-.^_`|~", "v"},
        {"X-A: caf\xC3\xA9", true, "X-A", "caf\xC3\xA9"},
        {"NoColon", false, "", ""},
        {"", false, "", ""},
        {":", false, "", ""},
        {": v", false, "", ""},
        {"Bad Name: v", false, "", ""},
        {"X-A : v", false, "", ""},  // no space before the colon
        {" X-A: v", false, "", ""},
        {"X(A): v", false, "", ""},
        {"X/A: v", false, "", ""},
        {"X\xC3\xA9: v", false, "", ""},
        {"X-A: v\r\nInjected: 1", false, "", ""},
        {"X-A: v\nx", false, "", ""},
        {"X-A: v\rx", false, "", ""},
        // other C0 controls and DEL reach a terminal, a log or a config file: refused too
        {"X-A: a\x01"
         "b",
         false, "", ""},
        {"X-A: a\x1b[31mred", false, "", ""},
        {"X-A: a\x1f"
         "b",
         false, "", ""},
        {"X-A: a\x7f", false, "", ""},
        {"X-A: a\vb", false, "", ""},
        {"X-A: a\fb", false, "", ""},
        {"X-A: a\tb", true, "X-A", "a\tb"},  // HTAB is allowed inside a field value (RFC 9110 §5.5)
        {"X\x7f: v", false, "", ""},
        // derived per file from the MIME and coding tables and the file's identity: a flag
        // would give every response the same one (and nginx would send two)
        {"Content-Type: text/plain", false, "", ""},
        {"content-encoding: gzip", false, "", ""},
        {"Content-Range: bytes 0-1/2", false, "", ""},
        {"ETag: \"v1\"", false, "", ""},
        {"Last-Modified: Tue, 01 Dec 2026 00:00:00 GMT", false, "", ""},
        {"Content-Type-Hint: x", true, "Content-Type-Hint", "x"},
        // the serializer owns framing: a flag must not be able to corrupt it
        {"Content-Length: 5", false, "", ""},
        {"transfer-encoding: chunked", false, "", ""},
        {"Connection: close", false, "", ""},
        {"Keep-Alive: timeout=5", false, "", ""},
        {"DATE: Thu, 01 Jan 1970 00:00:00 GMT", false, "", ""},
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
    CHECK_FALSE(parse_header_arg(std::string_view("X-A: v\0x", 8)).has_value());
    CHECK_FALSE(parse_header_arg(std::string_view("X\0A: v", 6)).has_value());
}

TEST_CASE("parse_coep and parse_corp: the flag values exactly - round trip with to_string") {
    struct CoepRow {
        std::string_view s;
        std::optional<CoepMode> m;
    };
    CoepRow const coeps[] = {
        {"require-corp", CoepMode::require_corp},
        {"credentialless", CoepMode::credentialless},
        {"off", CoepMode::off},
        {"", std::nullopt},
        {"maybe", std::nullopt},
        {"require_corp", std::nullopt},
        {"same-site", std::nullopt},
    };
    for (auto const& row : coeps) {
        CAPTURE(row.s);
        CHECK(parse_coep(row.s) == row.m);
        if (row.m) CHECK(to_string(*row.m) == row.s);
    }
    struct CorpRow {
        std::string_view s;
        std::optional<CorpMode> m;
    };
    CorpRow const corps[] = {
        {"same-origin", CorpMode::same_origin},
        {"same-site", CorpMode::same_site},
        {"cross-origin", CorpMode::cross_origin},
        {"off", CorpMode::off},
        {"", std::nullopt},
        {"require-corp", std::nullopt},
        {"same_site", std::nullopt},
    };
    for (auto const& row : corps) {
        CAPTURE(row.s);
        CHECK(parse_corp(row.s) == row.m);
        if (row.m) CHECK(to_string(*row.m) == row.s);
    }
}

TEST_CASE("iequals: ASCII case-insensitive and length-sensitive") {
    CHECK(iequals("Cache-Control", "cache-control"));
    CHECK(iequals("", ""));
    CHECK_FALSE(iequals("Cache-Control", "Cache-Contro"));
    CHECK_FALSE(iequals("a", "b"));
    CHECK_FALSE(iequals("\xC3\xA9", "\xC3\x89"));  // no Unicode folding
}

TEST_CASE("apply_extra_headers: each --header replaces every same-named header - case-insensitive") {
    ResponseHeaders h{
        {"Content-Type", "text/html"}, {"X-A", "1"}, {"content-type", "text/plain"}, {"Vary", "Accept-Encoding"}};
    // The names are views (of the Config's list, in the server): the list outlives the headers.
    HeaderList const extra{{"Content-Type", "application/wasm"}, {"X-New", "n"}};
    apply_extra_headers(h, extra);
    CHECK(count_of(h, "Content-Type") == 1);
    CHECK(value_of(h, "Content-Type") == "application/wasm");
    CHECK(value_of(h, "X-A") == "1");
    CHECK(value_of(h, "Vary") == "Accept-Encoding");
    CHECK(value_of(h, "X-New") == "n");
    CHECK(h.size() == 4);
}

TEST_CASE("apply_extra_headers: a --header Vary adds to the handler's Vary instead of replacing it") {
    ResponseHeaders h{{"Content-Type", "application/wasm"}, {"Vary", "Accept-Encoding"}};
    HeaderList const extra{{"Vary", "Origin"}};
    apply_extra_headers(h, extra);
    CHECK(value_of(h, "Vary") == "Accept-Encoding, Origin");
    CHECK(count_of(h, "Vary") == 1);
    // Names in a ResponseHeaders are views of the --header list, which must outlive it (config.hpp).
    HeaderList const origin{{"Vary", "Origin"}};
    ResponseHeaders none{{"Content-Type", "text/plain"}};
    apply_extra_headers(none, origin);
    CHECK(value_of(none, "Vary") == "Origin");
    // policy_headers already placed the --header Vary; the handler added its own after it
    ResponseHeaders twice{{"Vary", "Origin"}, {"Content-Type", "text/js"}, {"Vary", "Accept-Encoding"}};
    apply_extra_headers(twice, origin);
    CHECK(count_of(twice, "Vary") == 1);
    CHECK(value_of(twice, "Vary") == "Accept-Encoding, Origin");
}
