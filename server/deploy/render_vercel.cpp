// Vercel's vercel.json "headers": the policy on every path, Content-Type for the build's types.
// Sources are path-to-regexp patterns (docs/deploy.md#vercel); "(.*)" is an unnamed group that
// matches across "/". -o merges into an existing vercel.json (merge_json.cpp).
#include <fmt/format.h>

#include <boost/json.hpp>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"
#include "server/deploy/merge.hpp"
#include "server/http/policy.hpp"

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

// vercel.json's schema (@vercel/routing-utils): at most 2048 rules, 1024 headers a rule, keys of
// 4096 characters and values of 32768 (4096 before late 2025, which older CLIs still enforce).
Verdict check_vercel(RenderOptions const& o) {
    constexpr std::size_t max_headers = 1024, max_key = 4096, max_value = 32768, old_max_value = 4096;
    auto v = host_verdict(o, "Vercel", {}, {}, false);
    if (v.refusal) return v;
    if (http::policy_headers(o.policy).size() > max_headers)
        return {fmt::format("vercel.json takes at most {} headers a rule", max_headers), {}};
    for (auto const& [name, value] : o.policy.extra_headers) {
        if (name.size() > max_key)
            return {fmt::format("vercel.json takes header names of at most {} characters; \"{:.40}\" is longer",
                                max_key, name),
                    {}};
        if (value.size() > max_value)
            return {fmt::format("vercel.json takes header values of at most {} characters; the value of \"{:.40}\" is "
                                "longer",
                                max_value, name),
                    {}};
        if (value.size() > old_max_value)
            v.warnings.push_back(
                fmt::format("the value of \"{:.40}\" is longer than {} characters, which Vercel CLIs "
                            "older than late 2025 refuse",
                            name, old_max_value));
    }
    return v;
}

}  // namespace wasmdev::deploy
