// nginx location snippet: a types {} block with the whole MIME table, add_header ... always,
// gzip by type and for .data by name, gzip_static for sidecars, a location for hashed names.
#include <fmt/format.h>

#include "mime/mime.hpp"
#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/quote.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::deploy {

using namespace detail;

std::string render_nginx(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    auto const groups = all_types();
    auto const by_name = join(compressible_by_name(), "|");
    std::string out;
    out += fmt::format(
        "# nginx snippet for a WebAssembly build: the headers, types and compression of `wasmdev serve`.\n"
        "{}"
        "# Include it in a server {{}} block whose root is the build; it is that server's location /.\n",
        written_by(o));
    out += "location / {\n";
    out +=
        "    # A types {} block replaces the inherited map, so it lists every type wasmdev knows.\n"
        "    types {\n";
    for (auto const& g : groups) out += fmt::format("        {} {};\n", g.base, join(g.extensions, " "));
    out += "    }\n    default_type application/octet-stream;\n";
    std::vector<std::string_view> utf8_types;
    for (auto const& g : groups)
        if (g.utf8 && g.base != "text/html") utf8_types.push_back(g.base);  // nginx always includes text/html
    out += fmt::format("    charset utf-8;\n    charset_types {};\n\n", join(utf8_types, " "));

    out += policy_comment(o, "    ", " (\"always\")");
    for (auto const& [name, value] : headers)
        out += fmt::format("    add_header {} {} always;\n", nginx_name(name), nginx_string(value));

    out += fmt::format("\n    gzip on;\n    gzip_vary on;\n    gzip_min_length {};\n", o.policy.min_compress_bytes);
    out += fmt::format("    gzip_types {};\n", join(compressible_types(groups, false), " "));  // text/html is implicit
    if (o.precompressed)
        out +=
            "    # --precompressed: X.gz beside X goes out in place of X to clients that accept gzip.\n"
            "    gzip_static on;\n";

    // A nested location inherits everything above, add_header included, unless it sets its own.
    auto const data_location = [&](std::string_view indent) {
        return fmt::format("{0}location ~* \"\\.({1})$\" {{\n{0}    gzip_types application/octet-stream;\n{0}}}\n",
                           indent, by_name);
    };
    if (o.cache) {
        out += fmt::format(
            "\n    # --cache: a content hash in the name means the bytes never change: keep them a year.\n"
            "    # add_header here replaces the list above, so the policy is repeated. Cache-Control\n"
            "    # is for successes only (no \"always\"): a 404 cached for a year would outlive the fix.\n"
            "    location ~ \"{}\" {{\n",
            hashed_regex);
        for (auto const& [name, value] : headers) {
            bool const cache_control = http::iequals(name, "Cache-Control");
            auto const shown = cache_control ? immutable : std::string_view(value);
            out += fmt::format("        add_header {} {}{};\n", nginx_name(name), nginx_string(shown),
                               cache_control ? "" : " always");
        }
        out += data_location("        ");
        out += "    }\n";
    }
    out += "\n    # application/octet-stream is compressible only for these names (Emscripten's .data).\n";
    out += data_location("    ");
    out += "}\n";
    return out;
}

Verdict check_nginx(RenderOptions const& o) {
    for (auto const& [name, value] : o.policy.extra_headers)
        if (auto why = nginx_refusal(name, value)) return {why, {}};
    return {};
}

}  // namespace wasmdev::deploy
