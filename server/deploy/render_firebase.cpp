// Firebase Hosting's firebase.json hosting.headers: the policy on every path ("**"), Content-Type
// for the build's types ("**/*.EXT"), and with --cache an RE2 "regex" rule for hashed names, last
// because a later matching rule wins (docs/deploy.md#firebase). -o merges into an existing
// firebase.json (merge_json.cpp); a new one also names the directory as "public".
#include <fmt/format.h>

#include <boost/json.hpp>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"
#include "server/deploy/merge.hpp"

namespace wasmdev::deploy {

using namespace detail;

boost::json::array json_rules(std::vector<HostRule> const& rules, std::string_view pattern_key);

namespace {
std::string firebase_type_pattern(std::string_view ext) { return fmt::format("**/*.{}", ext); }
}  // namespace

std::string render_firebase(RenderOptions const& o) {
    auto headers = json_rules(host_rules(o, "**", firebase_type_pattern), "source");
    if (o.cache) {
        boost::json::object rule;
        rule["regex"] = hashed_regex;
        rule["headers"] = boost::json::array{{{"key", "Cache-Control"}, {"value", immutable}}};
        headers.push_back(std::move(rule));
    }
    boost::json::object hosting;
    // firebase.json sits beside the files here (-o writes it into DIR); firebase init's ignores.
    hosting["public"] = ".";
    hosting["ignore"] = boost::json::array{"firebase.json", "**/.*", "**/node_modules/**"};
    hosting["headers"] = std::move(headers);
    boost::json::object root;
    root["hosting"] = std::move(hosting);
    return pretty_json(boost::json::serialize(root));
}

Verdict check_firebase(RenderOptions const& o) {
    auto v = host_verdict(o, "Firebase Hosting", {}, {}, true);
    if (!v.refusal && o.cache)
        v.warnings.push_back(
            "Firebase Hosting applies --cache's year of caching to every status, a 404 for a "
            "hashed name included");
    return v;
}

}  // namespace wasmdev::deploy
