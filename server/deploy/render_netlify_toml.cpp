// Netlify's netlify.toml [[headers]] tables: the same rules as its _headers (render_netlify.cpp),
// in TOML, quoted for it. -o merges them into an existing netlify.toml (merge_toml.cpp).
#include <fmt/format.h>

#include <array>

#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/host_rules.hpp"
#include "server/deploy/merge.hpp"

namespace wasmdev::deploy {

using namespace detail;

namespace {
std::string netlify_type_pattern(std::string_view ext) { return fmt::format("/*.{}", ext); }
}  // namespace

std::string render_netlify_toml(RenderOptions const& o) {
    std::string out = fmt::format(
        "# netlify.toml headers for a WebAssembly build: the headers and types of `wasmdev serve`.\n"
        "{}"
        "# netlify.toml sits at the base directory of the site (usually the repository's root).\n",
        written_by(o));
    for (auto const& r : host_rules(o, "/*", netlify_type_pattern))
        out += "\n" + netlify_toml_table(r.pattern, r.headers);
    return out;
}

Verdict check_netlify_toml(RenderOptions const& o) {
    static constexpr std::array<std::string_view, 1> warned{"Set-Cookie"};
    return host_verdict(o, "Netlify", netlify_refused_names(), warned, false);
}

}  // namespace wasmdev::deploy
