// Netlify's _headers in the publish directory: the policy on /*, Content-Type for the build's
// types on /*.EXT. Netlify's rules (docs/deploy.md#netlify): "#" at a line's start is a comment,
// header lines are indented, and some names are its servers' own.
#include <fmt/format.h>

#include <array>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"

namespace wasmdev::deploy {

using namespace detail;

namespace {
std::string netlify_type_pattern(std::string_view ext) { return fmt::format("/*.{}", ext); }
}  // namespace

std::string render_netlify(RenderOptions const& o) {
    auto const comment = fmt::format(
        "# Netlify _headers for a WebAssembly build: the headers and types of `wasmdev serve`.\n"
        "{}"
        "# Put it in the publish directory. Each path below sets a header once, so no two rules\n"
        "# join their values on one path.\n",
        written_by(o));
    return headers_file(comment, host_rules(o, "/*", netlify_type_pattern));
}

Verdict check_netlify(RenderOptions const& o) {
    static constexpr std::array<std::string_view, 1> warned{"Set-Cookie"};
    for (auto const& [name, value] : o.policy.extra_headers)
        if (name.starts_with('#'))
            return {fmt::format("Netlify would read the header line \"{}\" as a comment (it starts with '#')", name),
                    {}};
    return host_verdict(o, "Netlify", netlify_refused_names(), warned, false);
}

}  // namespace wasmdev::deploy
