// Vercel's vercel.json "headers": the policy on every path, Content-Type for the build's types.
// Sources are path-to-regexp patterns (docs/deploy.md#vercel); "(.*)" is an unnamed group that
// matches across "/". -o merges into an existing vercel.json (merge_json.cpp).
#include <fmt/format.h>

#include <boost/json.hpp>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"
#include "server/deploy/merge.hpp"

namespace wasmdev::deploy {

using namespace detail;

namespace {
std::string vercel_type_pattern(std::string_view ext) { return fmt::format("/(.*)\\.{}", ext); }
}  // namespace

// The rules as JSON rule objects; shared with firebase's layout but for the pattern key.
boost::json::array json_rules(std::vector<HostRule> const& rules, std::string_view pattern_key) {
    boost::json::array out;
    for (auto const& r : rules) {
        boost::json::array headers;
        for (auto const& [name, value] : r.headers) headers.push_back({{"key", name}, {"value", value}});
        boost::json::object rule;
        rule[pattern_key] = r.pattern;
        rule["headers"] = std::move(headers);
        out.push_back(std::move(rule));
    }
    return out;
}

std::string render_vercel(RenderOptions const& o) {
    boost::json::object root;
    root["headers"] = json_rules(host_rules(o, "/(.*)", vercel_type_pattern), "source");
    return pretty_json(boost::json::serialize(root));
}

Verdict check_vercel(RenderOptions const& o) { return host_verdict(o, "Vercel", {}, {}, false); }

}  // namespace wasmdev::deploy
