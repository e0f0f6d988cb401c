// Caddyfile snippet: a header block, Content-Type per type group, encode by type and for
// .data by name, file_server precompressed for sidecars, @hashed for --cache.
#include <fmt/format.h>

#include "mime/mime.hpp"
#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/quote.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::deploy {

using namespace detail;

std::string render_caddy(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    auto const groups = all_types();
    std::string out;
    out += fmt::format(
        "# Caddyfile snippet for a WebAssembly build: the headers, types and compression of `wasmdev serve`.\n"
        "{}"
        "# Paste or import it inside the site block whose root is the build.\n",
        written_by(o));
    out += policy_comment(o, "", "") + "header {\n";
    for (auto const& [name, value] : headers) {
        // Caddy runs the more specific @hashed header first; "?" keeps what it set.
        bool const default_only = o.cache && http::iequals(name, "Cache-Control");
        out += fmt::format("    {}{} {}\n", default_only ? "?" : "", caddy_name(name), caddy_value(value));
    }
    out += "}\n";
    out += "# Exact types, whatever the host's mime.types says.\n";
    for (auto const& g : groups) {
        auto const type = g.utf8 ? g.base + "; charset=utf-8" : g.base;
        out += fmt::format("@type_{0} path {1}\nheader @type_{0} Content-Type {2}\n", g.extensions.front(),
                           join(g.extensions, " ", "*."), caddy_value(type));
    }
    out += fmt::format("encode {} {{\n    minimum_length {}\n    match {{\n", caddy_encoders(),
                       o.policy.min_compress_bytes);
    for (auto t : compressible_types(groups, true)) out += fmt::format("        header Content-Type {}*\n", t);
    out += "    }\n}\n";
    out += fmt::format(
        "# application/octet-stream is compressible only for these names (Emscripten's .data).\n"
        "@compress_by_name path {}\nencode @compress_by_name {} {{\n    minimum_length {}\n"
        "    match {{\n        header Content-Type {}*\n    }}\n}}\n",
        join(compressible_by_name(), " ", "*."), caddy_encoders(), o.policy.min_compress_bytes, mime::default_type);
    if (o.cache) {
        // Backticks: a raw Caddyfile token, so the regex's backslash reaches Caddy as is.
        out += fmt::format(
            "# --cache: a content hash in the name means the bytes never change: keep them a year.\n"
            "# Errors keep the policy's Cache-Control: a 404 cached for a year would outlive the fix.\n"
            "@hashed path_regexp `{}`\nheader @hashed Cache-Control {}\n"
            "handle_errors {{\n    header Cache-Control {}\n}}\n",
            hashed_regex, caddy_value(immutable), caddy_value(cache_control_of(headers)));
    }
    out += o.precompressed
               ? "# --precompressed: " + sidecar_names() + " beside X goes out in place of X when accepted.\n" +
                     "file_server {\n    precompressed " + sidecar_tokens() + "\n}\n"
               : std::string("file_server\n");
    return out;
}

Verdict check_caddy(RenderOptions const& o) {
    for (auto const& [name, value] : o.policy.extra_headers)
        if (auto why = caddy_refusal(name, value)) return {why, {}};
    return {};
}

}  // namespace wasmdev::deploy
