// Merging our header rules into the user's own vercel.json, firebase.json and netlify.toml
// (server/deploy/merge_*.cpp): everything of theirs is kept, a rule of theirs that sets one of
// our headers otherwise is named and left alone, a second merge changes nothing, and a file
// that is not what it claims (or too big, too deep) is refused in one line.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <string>

#include "server/deploy/merge.hpp"
#include "server/deploy/render.hpp"

using namespace wasmdev;

namespace {

std::string ours(std::string_view format) {
    deploy::RenderOptions o;
    o.format = format;
    o.command = "deploy";
    return deploy::render(o);
}

}  // namespace

TEST_CASE("merge_json: a vercel.json with other keys keeps them and gains our rules after its own") {
    std::string const user = R"J({"cleanUrls": true, "rewrites": [{"source": "/a", "destination": "/b"}],
        "headers": [{"source": "/api/(.*)", "headers": [{"key": "X-Api", "value": "1"}]}]})J";
    auto const r = deploy::merge_json(user, ours("vercel"), "headers", "routes");
    REQUIRE_FALSE(r.error);
    CHECK(r.conflicts.empty());
    auto const doc = boost::json::parse(r.text);
    CHECK(doc.at("cleanUrls").as_bool());
    CHECK(doc.at("rewrites").at(0).at("destination").as_string() == "/b");
    auto const& rules = doc.at("headers").as_array();
    CHECK(rules.at(0).at("source").as_string() == "/api/(.*)");
    CHECK(rules.at(1).at("source").as_string() == "/(.*)");
    CHECK(rules.size() == boost::json::parse(ours("vercel")).at("headers").as_array().size() + 1);
    // Keys keep their order: the user's file reads as before, our rules at the end.
    CHECK(r.text.find("\"cleanUrls\"") < r.text.find("\"rewrites\""));
    SUBCASE("a second merge changes nothing") {
        auto const again = deploy::merge_json(r.text, ours("vercel"), "headers", "routes");
        REQUIRE_FALSE(again.error);
        CHECK(again.conflicts.empty());
        CHECK(again.text == r.text);
    }
}

TEST_CASE("merge_json: a rule of the user's setting one of our headers otherwise is named, not overwritten") {
    std::string const user = R"J({"headers": [{"source": "/(.*)", "headers": [
        {"key": "cross-origin-opener-policy", "value": "unsafe-none"}, {"key": "X-Mine", "value": "1"}]}]})J";
    auto const r = deploy::merge_json(user, ours("vercel"), "headers", "routes");
    REQUIRE_FALSE(r.error);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts.front().find("\"/(.*)\"") != std::string::npos);
    CHECK(r.conflicts.front().find("cross-origin-opener-policy") != std::string::npos);
    CHECK(r.conflicts.front().find("\"unsafe-none\"") != std::string::npos);
    CHECK(r.conflicts.front().find("same-origin") != std::string::npos);
}

TEST_CASE("merge_json: the same rule gets only the headers it lacks") {
    std::string const user = R"J({"headers": [{"source": "/(.*)", "headers": [
        {"key": "Cross-Origin-Opener-Policy", "value": "same-origin"}, {"key": "X-Mine", "value": "1"}]}]})J";
    auto const r = deploy::merge_json(user, ours("vercel"), "headers", "routes");
    REQUIRE_FALSE(r.error);
    CHECK(r.conflicts.empty());
    auto const doc = boost::json::parse(r.text);
    auto const& first = doc.at("headers").at(0).at("headers").as_array();
    CHECK(first.at(1).at("key").as_string() == "X-Mine");
    int coop = 0;
    for (auto const& h : first) coop += h.at("key").as_string() == "Cross-Origin-Opener-Policy";
    CHECK(coop == 1);
    CHECK(first.at(2).at("key").as_string() == "Cross-Origin-Embedder-Policy");
}

TEST_CASE("merge_json: firebase.json's other keys stay, and each site of a multi-site hosting gets the rules") {
    std::string const user = R"J({"functions": {"source": "fn"}, "hosting": [
        {"site": "a", "public": "dist"}, {"site": "b", "public": "out", "headers": []}]})J";
    auto const r = deploy::merge_json(user, ours("firebase"), "hosting.headers");
    REQUIRE_FALSE(r.error);
    CHECK(r.conflicts.empty());
    auto const doc = boost::json::parse(r.text);
    CHECK(doc.at("functions").at("source").as_string() == "fn");
    for (auto const& site : doc.at("hosting").as_array()) {
        CHECK(site.at("headers").at(0).at("source").as_string() == "**");
        CHECK(site.as_object().contains("public"));
    }
    CHECK(doc.at("hosting").at(0).at("public").as_string() == "dist");
}

TEST_CASE("merge_json: files that cannot take the rules are refused in one line") {
    std::string const deep = std::string(200, '[') + std::string(200, ']');
    std::string many_sites = "{}";
    for (int i = 0; i < 300; ++i) many_sites += ", {}";
    struct Row {
        std::string user;
        std::string_view rules_at, refused_beside, says;
    };
    Row const rows[] = {
        {"{not json", "headers", "routes", "not JSON"},
        {"[1, 2]", "headers", "routes", "top level is not an object"},
        {R"J({"routes": [{"src": "/x"}]})J", "headers", "routes", "\"routes\""},
        {R"J({"headers": {"a": 1}})J", "headers", "routes", "\"headers\" is not an array"},
        {R"J({"hosting": "x"})J", "hosting.headers", "", "\"hosting\" is not an object"},
        {R"J({"hosting": []})J", "hosting.headers", "", "empty array"},
        {deep, "headers", "", "not JSON"},
        {"{\"hosting\": [" + many_sites + "]}", "hosting.headers", "", "at most 100"},
        {std::string(deploy::max_user_config_bytes + 1, ' '), "headers", "", "larger than"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.says);
        auto const r = deploy::merge_json(row.user, ours(row.rules_at == "headers" ? "vercel" : "firebase"),
                                          row.rules_at, row.refused_beside);
        REQUIRE(r.error);
        CHECK(r.error->find(row.says) != std::string::npos);
        CHECK(r.error->find('\n') == std::string::npos);
    }
}

TEST_CASE("merge_toml: a netlify.toml keeps every byte of its own and gains our [[headers]] at the end") {
    std::string const user =
        "[build]\n  publish = \"dist\"  # the build\n\n[[headers]]\n  for = \"/api/*\"\n"
        "  [headers.values]\n    X-Api = \"1\"\n";
    auto const r = deploy::merge_toml(user, ours("netlify-toml"));
    REQUIRE_FALSE(r.error);
    CHECK(r.conflicts.empty());
    CHECK(r.text.starts_with(user));
    CHECK(r.text.find("[[headers]]\n  for = \"/*\"\n  [headers.values]\n    Cross-Origin-Opener-Policy = "
                      "\"same-origin\"\n") != std::string::npos);
    CHECK(r.text.find("for = \"/*.wasm\"") != std::string::npos);
    auto const again = deploy::merge_toml(r.text, ours("netlify-toml"));
    CHECK(again.conflicts.empty());
    CHECK(again.text == r.text);
}

TEST_CASE("merge_toml: a [[headers]] of the user's for our path is compared, never edited") {
    struct Row {
        std::string values;
        std::string_view says;
    };
    Row const rows[] = {
        {"    Cross-Origin-Opener-Policy = \"unsafe-none\"\n", "sets Cross-Origin-Opener-Policy to \"unsafe-none\""},
        {"    \"Cross-Origin-Opener-Policy\" = 'same-origin'\n", "lacks Cross-Origin-Embedder-Policy"},
        {"    X = \"\"\"multi\nline\"\"\"\n", "compare it by hand"},
    };
    for (auto const& row : rows) {
        CAPTURE(row.says);
        std::string const user = "[[headers]]\n  for = \"/*\"\n  [headers.values]\n" + row.values;
        auto const r = deploy::merge_toml(user, ours("netlify-toml"));
        REQUIRE_FALSE(r.error);
        REQUIRE_FALSE(r.conflicts.empty());
        CHECK(r.conflicts.front().find(row.says) != std::string::npos);
    }
}

TEST_CASE("merge_toml: a netlify.toml defining headers otherwise is refused, since appending would redefine it") {
    for (std::string const user : {"headers = [{ for = \"/*\", values = { X = \"1\" } }]\n", "[headers]\n  x = 1\n"}) {
        CAPTURE(user);
        auto const r = deploy::merge_toml(user, ours("netlify-toml"));
        REQUIRE(r.error);
        CHECK(r.error->find("otherwise than as [[headers]]") != std::string::npos);
    }
    CHECK_FALSE(deploy::merge_toml("[build]\n  headers_dir = \"x\"\n", ours("netlify-toml")).error);
}
