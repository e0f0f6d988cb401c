// Cloudflare Pages' _headers in the build output directory: the policy on /*, Content-Type for
// the build's types on /*.EXT. Its limits (docs/deploy.md#cloudflare): 100 rules, 2,000
// characters a line, a "! Name" line removes a header, and a header that two matching rules
// set is sent with both values joined by a comma, so each header is set by one rule only.
#include <fmt/format.h>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"

namespace wasmdev::deploy {

using namespace detail;

namespace {

constexpr std::size_t max_rules = 100;
constexpr std::size_t max_line = 2000;

std::string cloudflare_type_pattern(std::string_view ext) { return fmt::format("/*.{}", ext); }

std::string cloudflare_comment(RenderOptions const& o) {
    return fmt::format(
        "# Cloudflare Pages _headers for a WebAssembly build: the headers and types of `wasmdev serve`.\n"
        "{}"
        "# Put it in the build output directory. Each header is set by one rule only: Cloudflare\n"
        "# joins the values of overlapping rules with a comma.\n",
        written_by(o));
}

}  // namespace

std::string render_cloudflare(RenderOptions const& o) {
    return headers_file(cloudflare_comment(o), host_rules(o, "/*", cloudflare_type_pattern));
}

Verdict check_cloudflare(RenderOptions const& o) {
    for (auto const& [name, value] : o.policy.extra_headers) {
        if (name.starts_with('!'))
            return {fmt::format("Cloudflare would read \"{}\" as removing the header \"{}\" (a leading '!')", name,
                                name.substr(1)),
                    {}};
        if (name.starts_with('#'))
            return {fmt::format("Cloudflare would read the header line \"{}\" as a comment (it starts with '#')", name),
                    {}};
    }
    auto v = host_verdict(o, "Cloudflare Pages", {}, {}, false);
    if (v.refusal) return v;
    auto const rules = host_rules(o, "/*", cloudflare_type_pattern);
    if (rules.size() > max_rules)
        return {fmt::format("Cloudflare Pages reads at most {} header rules; this file would have {}", max_rules,
                            rules.size()),
                {}};
    for (auto const& r : rules)
        for (auto const& [name, value] : r.headers)
            if (fmt::format("  {}: {}", name, value).size() > max_line)
                return {fmt::format("Cloudflare Pages reads at most {} characters a line; the line of the header "
                                    "\"{:.40}\" is longer",
                                    max_line, name),
                        {}};
    // The "Written by" comment repeats each --header; a comment line over the limit is one too.
    auto const comment = cloudflare_comment(o);
    for (std::size_t start = 0; start < comment.size();) {
        auto end = comment.find('\n', start);
        if (end == std::string::npos) end = comment.size();
        if (end - start > max_line)
            return {fmt::format("Cloudflare Pages reads at most {} characters a line; the comment naming this "
                                "command would be longer",
                                max_line),
                    {}};
        start = end + 1;
    }
    return v;
}

}  // namespace wasmdev::deploy
