#include "server/deploy/common.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "mime/mime.hpp"
#include "server/codings/coding.hpp"
#include "server/http/policy.hpp"
#include "server/text/shell.hpp"

namespace wasmdev::deploy::detail {

// Hex only, and no lookahead: RE2 (Caddy) has none. An 8-digit date ("app-20240101.js")
// also matches; such names are rare in a build, and --cache is opt-in.
std::string_view const hashed_regex = R"([.-][0-9a-fA-F]{8,}(\.[A-Za-z0-9]+)+$)";
std::string_view const immutable = "public, max-age=31536000, immutable";

// Sidecar codings as serve honours them: every row of the one table (server/codings/) with a
// sidecar extension, in its rank order (the order a server prefers them when the client
// accepts several).
std::vector<Sidecar> sidecars() {
    std::vector<Sidecar> out;
    for (auto const& r : codings::table)
        if (!r.sidecar_extension.empty()) out.push_back({r.token, r.sidecar_extension.substr(1)});
    return out;
}

// "X.zst, X.br or X.gz" for comments; "zst|br|gz" for a regex; "zstd br gzip" for Caddy.
std::string sidecar_names() {
    auto const s = sidecars();
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
        out += fmt::format("{}X.{}", i == 0 ? "" : i + 1 == s.size() ? " or " : ", ", s[i].suffix);
    return out;
}
std::string sidecar_suffixes(std::string_view sep) {
    std::string out;
    for (auto const& s : sidecars()) out += fmt::format("{}{}", out.empty() ? "" : sep, s.suffix);
    return out;
}
std::string sidecar_tokens() {
    std::string out;
    for (auto const& s : sidecars()) out += fmt::format("{}{}", out.empty() ? "" : " ", s.coding);
    return out;
}

// The codings Caddy's encode directive makes without plugins (gzip and zstd), as tokens in
// the table's rank order.
std::string caddy_encoders() {
    std::string out;
    for (auto c : codings::made_codings())
        if (c == codings::Coding::zstd || c == codings::Coding::gzip)
            out += fmt::format("{}{}", out.empty() ? "" : " ", codings::to_string(c));
    return out;
}

// The MIME table's entries that pass `keep`, grouped by media type, in the table's order.
std::vector<TypeGroup> type_groups(EntryFilter keep) {
    std::vector<TypeGroup> groups;
    for (auto const& e : mime::table()) {
        if (!keep(e)) continue;
        auto semi = e.type.find(';');
        std::string base(e.type.substr(0, semi));
        bool const utf8 = semi != std::string_view::npos;
        auto it =
            std::find_if(groups.begin(), groups.end(), [&](auto const& g) { return g.base == base && g.utf8 == utf8; });
        if (it == groups.end()) it = groups.insert(groups.end(), TypeGroup{base, utf8, false, {}});
        it->extensions.push_back(e.extension);
        // octet-stream is compressible only for some names (.data); those go by name, not type.
        if (e.compressible && e.type != mime::default_type) it->compressible = true;
    }
    return groups;
}

std::vector<TypeGroup> all_types() {
    return type_groups([](mime::MimeEntry const&) { return true; });
}

std::vector<std::string_view> compressible_types(std::vector<TypeGroup> const& groups, bool with_html) {
    std::vector<std::string_view> out;
    for (auto const& g : groups)
        if (g.compressible && (with_html || g.base != "text/html")) out.push_back(g.base);
    return out;
}

std::vector<std::string_view> extensions_where(EntryFilter keep) {
    std::vector<std::string_view> out;
    for (auto const& e : mime::table())
        if (keep(e)) out.push_back(e.extension);
    return out;
}

// application/octet-stream is worth compressing only for these names (Emscripten's .data);
// by type it would also take in .pyc, archives and every unknown file.
std::vector<std::string_view> compressible_by_name() {
    return extensions_where([](auto const& e) { return e.compressible && e.type == mime::default_type; });
}

// Sidecars are honoured for the build's own compressible files only, so a real archive such
// as "sources.tar.gz" is still served as application/gzip, not unpacked by the browser.
std::vector<std::string_view> sidecar_sources() {
    return extensions_where([](auto const& e) { return e.compressible && e.wasm_relevant; });
}

std::string join(std::vector<std::string_view> const& v, std::string_view sep, std::string_view prefix) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{}{}", i ? sep : "", prefix, v[i]);
    return out;
}

// The command that writes this very file, without its --header values.
std::string command_base(RenderOptions const& o) {
    http::HeaderPolicy const defaults{};
    std::string out = fmt::format("wasmdev {}", o.command);
    // htaccess writes Apache unless told otherwise; deploy always names its format.
    if (o.command != "htaccess" || o.format != "apache") out += fmt::format(" --format {}", o.format);
    if (o.precompressed) out += " --precompressed";
    if (o.cache) out += " --cache";
    if (o.policy.coep != defaults.coep) out += fmt::format(" --coep {}", http::to_string(o.policy.coep));
    if (o.policy.corp != defaults.corp) out += fmt::format(" --corp {}", http::to_string(o.policy.corp));
    return out;
}

std::string header_arg(std::pair<std::string, std::string> const& h) {
    return "--header " + text::shell_quote(h.first + ": " + h.second);
}

// The comment lines that say how to regenerate the file: one line while it is short, else the
// command's words one --header a line (Apache refuses .htaccess lines longer than 8 KB, and a
// trailing backslash would join the comment lines back into one).
std::size_t const one_line_command = 200;

std::string written_by(RenderOptions const& o, std::string_view mark) {
    std::string command = command_base(o);
    for (auto const& h : o.policy.extra_headers) command += " " + header_arg(h);
    auto const line = fmt::format("{} Written by `{}`; regenerate it rather than edit it.\n", mark, command);
    if (line.size() <= one_line_command) return line;
    std::string out = fmt::format(
        "{0} Written by this command (one line, split here); regenerate it rather than edit "
        "it:\n{0}     {1}\n",
        mark, command_base(o));
    for (auto const& h : o.policy.extra_headers) out += fmt::format("{}     {}\n", mark, header_arg(h));
    return out;
}

// The policy's Cache-Control (no-cache unless --header replaced it).
std::string cache_control_of(http::ResponseHeaders const& headers) {
    for (auto const& [name, value] : headers)
        if (http::iequals(name, "Cache-Control")) return value;
    return {};
}

// The comment above the policy headers; it explains no-cache only while the policy has it.
std::string policy_comment(RenderOptions const& o, std::string_view indent, std::string_view how) {
    std::string out = fmt::format("{}# The policy on every response, errors included{}.\n", indent, how);
    if (cache_control_of(http::policy_headers(o.policy)) == "no-cache") {
        out += fmt::format(
            "{}# Cache-Control: no-cache makes browsers revalidate (a cheap 304), so a redeploy shows "
            "at once.\n",
            indent);
        if (!o.cache) out += fmt::format("{}# With --cache, names with a content hash are kept for a year.\n", indent);
    }
    return out;
}

}  // namespace wasmdev::deploy::detail
