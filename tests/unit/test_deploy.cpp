// wasmdev deploy's format table and the static hosts' renderers (server/deploy/): the table's
// rows, golden files per host, the one-rule-per-header property overlapping hosts need, and
// each host's refusals and warnings. After an intended change, regenerate the golden files:
//   WASMDEV_UPDATE_GOLDEN=1 build/tests/unit_tests -tc='deploy*'
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "server/deploy/formats.hpp"
#include "server/deploy/render.hpp"
#include "server/http/policy.hpp"
#include "tests/unit/golden.hpp"

using namespace wasmdev;
using golden::check_golden;
using golden::lines_of;

namespace {

deploy::RenderOptions options(std::string_view format, http::HeaderList extra = {}, bool cache = false,
                              bool precompressed = false) {
    deploy::RenderOptions o;
    o.format = format;
    o.command = "deploy";
    o.policy.extra_headers = std::move(extra);
    o.cache = cache;
    o.precompressed = precompressed;
    return o;
}

// A _headers file read as Netlify and Cloudflare do: a path line, then indented "Name: value".
std::vector<std::pair<std::string, http::HeaderList>> read_headers_file(std::string const& text) {
    std::vector<std::pair<std::string, http::HeaderList>> rules;
    for (auto const& line : lines_of(text)) {
        if (line.empty() || line.front() == '#') continue;
        if (line.front() != ' ') {
            rules.push_back({line, {}});
            continue;
        }
        auto const colon = line.find(':');
        REQUIRE(colon != std::string::npos);
        REQUIRE_FALSE(rules.empty());
        rules.back().second.emplace_back(line.substr(2, colon - 2), line.substr(colon + 2));
    }
    return rules;
}

}  // namespace

TEST_CASE("deploy: every format row has a name, a file -o writes, help, a renderer and a check") {
    std::set<std::string_view> names;
    for (auto const& f : deploy::formats()) {
        CAPTURE(f.name);
        CHECK(names.insert(f.name).second);
        CHECK_FALSE(f.file_name.empty());
        CHECK_FALSE(f.help.empty());
        CHECK(f.help.find('\n') == std::string_view::npos);
        REQUIRE(static_cast<bool>(f.render));
        REQUIRE(static_cast<bool>(f.check));
        CHECK(deploy::find_format(f.name) == &f);
        CHECK((f.existing == deploy::Existing::merge_json) == !f.merge_at.empty());
        auto const o = options(f.name);
        CHECK_FALSE(deploy::verdict(o).refusal);
        CHECK_FALSE(deploy::render(o).empty());
    }
    CHECK(deploy::find_format("frontpage") == nullptr);
    CHECK(deploy::verdict(options("frontpage")).refusal);
}

TEST_CASE("deploy: the files each format writes where its host reads them") {
    struct Row {
        std::string_view format, file;
        bool htaccess;
    };
    Row const rows[] = {
        {"apache", ".htaccess", true},
        {"nginx", "wasmdev-nginx.conf", true},
        {"caddy", "wasmdev.caddy", true},
        {"netlify", "_headers", false},
        {"netlify-toml", "netlify.toml", false},
        {"cloudflare", "_headers", false},
        {"vercel", "vercel.json", false},
        {"firebase", "firebase.json", false},
        {"github-pages", "wasmdev-coi.js", false},
    };
    CHECK(deploy::formats().size() == std::size(rows));
    for (auto const& row : rows) {
        CAPTURE(row.format);
        auto const* f = deploy::find_format(row.format);
        REQUIRE(f != nullptr);
        CHECK(f->file_name == row.file);
        CHECK(f->htaccess == row.htaccess);
    }
}

TEST_CASE("deploy: golden files for each static host") {
    struct Row {
        std::string name;
        deploy::RenderOptions options;
    };
    Row const rows[] = {
        {"netlify.expected", options("netlify")},
        {"netlify-toml.expected", options("netlify-toml", {{"X-Quoted \"Name\"", "a \"b\" \\c"}})},
        {"cloudflare.expected", options("cloudflare")},
        {"vercel.expected", options("vercel")},
        {"firebase.expected", options("firebase")},
        {"firebase-cache.expected", options("firebase", {}, true)},
        {"github-pages.expected", options("github-pages")},
    };
    for (auto const& row : rows) {
        CAPTURE(row.name);
        REQUIRE_FALSE(deploy::verdict(row.options).refusal);
        check_golden(row.name, deploy::render(row.options));
    }
}

TEST_CASE("deploy: a _headers file sets each header by one rule only, the policy on /* and types by extension") {
    for (std::string_view format : {"netlify", "cloudflare"}) {
        CAPTURE(format);
        auto const o = options(format, {{"Cache-Control", "max-age=60"}, {"X-Extra", "1"}});
        auto const rules = read_headers_file(deploy::render(o));
        REQUIRE_FALSE(rules.empty());
        CHECK(rules.front().first == "/*");
        auto const policy = http::policy_headers(o.policy);
        REQUIRE(rules.front().second.size() == policy.size());
        for (std::size_t i = 0; i < policy.size(); ++i) {
            CHECK(rules.front().second[i].first == policy[i].first);
            CHECK(rules.front().second[i].second == policy[i].second);
        }
        // Overlapping rules join values ("same-origin, same-origin"): no header may be set twice.
        std::map<std::string, int> set_by;
        for (auto const& [path, headers] : rules)
            for (auto const& [name, value] : headers) ++set_by[name + (name == "Content-Type" ? path : "")];
        for (auto const& [name, count] : set_by) {
            CAPTURE(name);
            CHECK(count == 1);
        }
        bool wasm = false;
        for (auto const& [path, headers] : rules)
            if (path == "/*.wasm") wasm = headers == http::HeaderList{{"Content-Type", "application/wasm"}};
        CHECK(wasm);
    }
}

TEST_CASE("deploy: vercel.json and firebase.json are JSON whose rules carry the policy and the wasm type") {
    struct Row {
        std::string_view format;
        std::string_view all, wasm;
    };
    Row const rows[] = {{"vercel", "/(.*)", "/(.*)\\.wasm"}, {"firebase", "**", "**/*.wasm"}};
    for (auto const& row : rows) {
        CAPTURE(row.format);
        auto const doc = boost::json::parse(deploy::render(options(row.format)));
        auto const& rules =
            row.format == "vercel" ? doc.at("headers").as_array() : doc.at("hosting").at("headers").as_array();
        CHECK(rules.at(0).at("source").as_string() == row.all);
        CHECK(rules.at(0).at("headers").at(0).at("key").as_string() == "Cross-Origin-Opener-Policy");
        bool wasm = false;
        for (auto const& r : rules)
            if (r.at("source").as_string() == row.wasm)
                wasm = r.at("headers").at(0).at("value").as_string() == "application/wasm";
        CHECK(wasm);
    }
}

TEST_CASE("deploy: wasmdev-coi.js carries the policy as JSON and reloads only when the policy isolates") {
    auto const js = deploy::render(options("github-pages", {{"X-Extra", "</script> \"q\""}}));
    CHECK(js.find("__WASMDEV_POLICY__") == std::string::npos);
    CHECK(js.find(R"(["Cross-Origin-Opener-Policy","same-origin"])") != std::string::npos);
    CHECK(js.find(R"(["X-Extra","</script> \"q\""])") != std::string::npos);
    CHECK(js.find(R"("isolates":true)") != std::string::npos);
    CHECK(js.starts_with("// Written by `wasmdev deploy --format github-pages --header "));
    auto off = options("github-pages");
    off.policy.coep = http::CoepMode::off;
    CHECK(deploy::render(off).find(R"("isolates":false)") != std::string::npos);
}

TEST_CASE("deploy: a line separator in a --header cannot end wasmdev-coi.js's comment and become code") {
    auto const js = deploy::render(options("github-pages", {{"X-A",
                                                             "a\xE2\x80\xA8"
                                                             "alert(1)// \xE2\x80\xA9"
                                                             "b"}}));
    auto const comment = js.substr(0, js.find("// One file, two roles"));
    CHECK(comment.find("\xE2\x80\xA8") == std::string::npos);
    CHECK(comment.find("\xE2\x80\xA9") == std::string::npos);
    CHECK(comment.find("a\\u2028alert(1)// \\u2029b") != std::string::npos);
    for (auto const& line : lines_of(comment)) CHECK(line.starts_with("//"));
}

TEST_CASE("deploy: each host refuses what it would not send and warns about what it changes") {
    std::string const long_value(2100, 'v');
    struct Row {
        std::string_view format;
        http::HeaderList extra;
        bool cache, precompressed;
        std::string_view refusal;  // a part of the refusal, or "" for none
        std::string_view warning;  // a part of the one warning, or "" for none
    };
    Row const rows[] = {
        {"netlify", {{"Server", "mine"}}, false, false, "Netlify sets \"Server\" itself", ""},
        {"netlify-toml", {{"Age", "1"}}, false, false, "Netlify sets \"Age\" itself", ""},
        {"netlify", {{"Set-Cookie", "a=b"}}, false, false, "", "Set-Cookie"},
        {"netlify", {{"#X", "1"}}, false, false, "as a comment", ""},
        {"netlify", {}, true, false, "--cache", ""},
        {"cloudflare", {{"!X-Gone", "1"}}, false, false, "removing the header \"X-Gone\"", ""},
        {"cloudflare", {{"#X", "1"}}, false, false, "as a comment", ""},
        {"cloudflare", {{"X-Long", long_value}}, false, false, "2000 characters a line", ""},
        {"cloudflare", {}, true, false, "--cache", ""},
        {"cloudflare", {}, false, true, "", "compresses responses by itself"},
        {"vercel", {}, true, false, "--cache", ""},
        {"vercel", {}, false, true, "", "--precompressed changes nothing"},
        {"firebase", {}, true, false, "", "a 404 for a hashed name"},
        {"github-pages", {{"Set-Cookie", "a=b"}}, false, false, "a service worker cannot set", ""},
        {"github-pages", {}, true, false, "--cache", ""},
        {"github-pages", {{"X-Long", long_value}}, false, false, "", ""},
        {"vercel", {{"X-Long", long_value}}, false, false, "", ""},
        {"vercel",
         {{"X-Bytes",
           "a\xC5"
           "mp"}},
         false,
         false,
         "not well-formed UTF-8",
         ""},
        {"firebase", {{"X-Bytes", "\xFF"}}, false, false, "not well-formed UTF-8", ""},
        {"netlify-toml", {{"X-Bytes", "\xED\xA0\x80"}}, false, false, "not well-formed UTF-8", ""},
        {"github-pages", {{"X-Bytes", "\xC0\x80"}}, false, false, "not well-formed UTF-8", ""},
        {"cloudflare", {{"X-Ok", "caf\xC3\xA9"}}, false, false, "", ""},
        {"vercel", {{"X-Long", std::string(5000, 'v')}}, false, false, "", "older than late 2025"},
        {"vercel", {{"X-Long", std::string(40000, 'v')}}, false, false, "at most 32768 characters", ""},
    };
    for (auto const& row : rows) {
        CAPTURE(row.format);
        CAPTURE(row.refusal);
        auto const v = deploy::verdict(options(row.format, row.extra, row.cache, row.precompressed));
        if (row.refusal.empty()) {
            CHECK_FALSE(v.refusal);
        } else {
            REQUIRE(v.refusal);
            CHECK(v.refusal->find(row.refusal) != std::string::npos);
            CHECK(v.refusal->find('\n') == std::string::npos);
        }
        if (!row.warning.empty()) {
            REQUIRE(v.warnings.size() == 1);
            CHECK(v.warnings.front().find(row.warning) != std::string::npos);
        }
        for (auto const& w : v.warnings) CHECK(w.find('\n') == std::string::npos);
    }
}

TEST_CASE("deploy: the comment names the deploy command and its format") {
    auto o = options("netlify", {{"X-A", "b"}});
    o.policy.corp = http::CorpMode::same_origin;
    CHECK(
        deploy::render(o).find("# Written by `wasmdev deploy --format netlify --corp same-origin --header 'X-A: b'`") !=
        std::string::npos);
    auto apache = options("apache");
    CHECK(deploy::render(apache).find("# Written by `wasmdev deploy --format apache`;") != std::string::npos);
}
