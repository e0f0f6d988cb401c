#include "server/htaccess/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "mime/mime.hpp"
#include "server/codings/coding.hpp"
#include "server/htaccess/quote.hpp"
#include "server/http/policy.hpp"
#include "server/text/shell.hpp"

namespace wasmdev::htaccess {
namespace {

// Hex only, and no lookahead: RE2 (Caddy) has none. An 8-digit date ("app-20240101.js")
// also matches; such names are rare in a build, and --cache is opt-in.
constexpr std::string_view hashed_regex = R"([.-][0-9a-fA-F]{8,}(\.[A-Za-z0-9]+)+$)";
constexpr std::string_view immutable = "public, max-age=31536000, immutable";

// Sidecar codings as serve honours them: every row of the one table (server/codings/) with a
// sidecar extension, in its rank order (the order a server prefers them when the client
// accepts several).
struct Sidecar {
    std::string_view coding{};
    std::string_view suffix{};  // without the dot: "gz"
};
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

struct TypeGroup {
    std::string base{};  // media type without parameters
    bool utf8 = false;   // the table's type carries "; charset=utf-8"
    bool compressible = false;
    std::vector<std::string_view> extensions{};
};

// The MIME table's entries that pass `keep`, grouped by media type, in the table's order.
template <class Keep>
std::vector<TypeGroup> type_groups(Keep keep) {
    std::vector<TypeGroup> groups;
    for (auto const& e : mime::table()) {
        if (!keep(e)) continue;
        auto semi = e.type.find(';');
        std::string base(e.type.substr(0, semi));
        bool const utf8 = semi != std::string_view::npos;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](auto const& g) { return g.base == base && g.utf8 == utf8; });
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

template <class Keep>
std::vector<std::string_view> extensions_where(Keep keep) {
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

std::string join(std::vector<std::string_view> const& v, std::string_view sep, std::string_view prefix = "") {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += fmt::format("{}{}{}", i ? sep : "", prefix, v[i]);
    return out;
}

// The command that writes this very file, without its --header values.
std::string command_base(RenderOptions const& o) {
    http::Config const defaults{};
    std::string out = "wasmdev htaccess";
    if (o.format == Format::nginx) out += " --format nginx";
    if (o.format == Format::caddy) out += " --format caddy";
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
constexpr std::size_t one_line_command = 200;

std::string written_by(RenderOptions const& o) {
    std::string command = command_base(o);
    for (auto const& h : o.policy.extra_headers) command += " " + header_arg(h);
    auto const line = fmt::format("# Written by `{}`; regenerate it rather than edit it.\n", command);
    if (line.size() <= one_line_command) return line;
    std::string out = fmt::format("# Written by this command (one line, split here); regenerate it rather than edit it:\n"
                                  "#     {}\n", command_base(o));
    for (auto const& h : o.policy.extra_headers) out += fmt::format("#     {}\n", header_arg(h));
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
        out += fmt::format("{}# Cache-Control: no-cache makes browsers revalidate (a cheap 304), so a redeploy shows "
                           "at once.\n", indent);
        if (!o.cache) out += fmt::format("{}# With --cache, names with a content hash are kept for a year.\n", indent);
    }
    return out;
}

std::string render_apache(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    std::string out;
    out += fmt::format(
        "# .htaccess for a WebAssembly build: the headers, types and compression of `wasmdev serve`.\n"
        "{}"
        "#\n"
        "# Apache 2.4 reads this file only where the server's config allows it, for example\n"
        "#     <Directory /var/www/html/python>\n"
        "#         AllowOverride FileInfo\n"
        "#     </Directory>\n"
        "# Without FileInfo (Header, AddType, AddOutputFilterByType{}), Apache answers 500 for\n"
        "# the whole directory; nothing in this file can prevent that.\n"
        "# Modules: mod_headers (isolation headers), mod_mime (types), mod_filter and mod_deflate\n"
        "# (compression){}. Debian: a2enmod headers deflate{}.\n"
        "# Each block sits in <IfModule>: a missing module loses its feature, never the site.\n\n",
        written_by(o), o.precompressed ? ", Rewrite*" : "", o.precompressed ? ", mod_rewrite (sidecars)" : "",
        o.precompressed ? " rewrite" : "");

    // "always" puts the headers on errors too: plain "Header set" only reaches 2xx responses,
    // and a 404 page or a worker script without COEP breaks isolation.
    out += policy_comment(o, "", " (\"always\")") + "<IfModule mod_headers.c>\n";
    for (auto const& [name, value] : headers)
        out += fmt::format("    Header always set {} {}\n", apache_word(name), apache_value(value));
    if (o.cache) {
        out += fmt::format(
            "    # --cache: a content hash in the name means the bytes never change: keep them a year.\n"
            "    # Errors keep the policy's Cache-Control: a 404 cached for a year would outlive the fix.\n"
            "    <FilesMatch \"{}\">\n"
            "        Header always set Cache-Control {} \"expr=%{{REQUEST_STATUS}} -lt 400\"\n"
            "    </FilesMatch>\n",
            hashed_regex, apache_value(immutable));
    }
    out += "</IfModule>\n\n";

    // Two groups: what a build cannot load without (exact, whatever the host's mime.types
    // says), then the rest of serve's table, so preview and production agree on every type.
    auto const build_types = type_groups([](auto const& e) { return e.wasm_relevant; });
    auto const other_types = type_groups([](auto const& e) { return !e.wasm_relevant; });
    out += "# Exact types: application/wasm without parameters (or streaming compilation fails),\n"
           "# text/javascript for scripts and module workers.\n"
           "<IfModule mod_mime.c>\n";
    for (auto const& g : build_types) out += fmt::format("    AddType {} {}\n", g.base, join(g.extensions, " ", "."));
    out += "    # The rest of wasmdev's table; sources as text so browsers and DevTools show them.\n";
    for (auto const& g : other_types) out += fmt::format("    AddType {} {}\n", g.base, join(g.extensions, " ", "."));
    std::vector<std::string_view> utf8_exts;
    for (auto const& g : all_types())
        if (g.utf8) utf8_exts.insert(utf8_exts.end(), g.extensions.begin(), g.extensions.end());
    out += fmt::format("    AddCharset utf-8 {}\n", join(utf8_exts, " ", "."));
    out += "</IfModule>\n\n";

    out += "# Compression for the compressible types; mod_deflate adds Vary: Accept-Encoding.\n"
           "<IfModule mod_filter.c>\n    <IfModule mod_deflate.c>\n";
    out += fmt::format("        AddOutputFilterByType DEFLATE {}\n", join(compressible_types(all_types(), true), " "));
    out += "    </IfModule>\n</IfModule>\n";
    out += "# application/octet-stream is compressible only for these names (Emscripten's .data);\n"
           "# by type it would also take .pyc files, archives and every unknown file.\n"
           "<IfModule mod_deflate.c>\n";
    out += fmt::format("    <FilesMatch \"(?i)\\.({})$\">\n        SetOutputFilter DEFLATE\n    </FilesMatch>\n",
                       join(compressible_by_name(), "|"));
    out += "</IfModule>\n";

    if (o.precompressed) {
        auto const sources = join(sidecar_sources(), "|");
        out += "\n# --precompressed: " + sidecar_names() + " beside X goes out in place of X when the client accepts\n"
               "# that coding (q=0 refuses it), with X's type and Content-Encoding. Like any RewriteRule\n"
               "# in .htaccess, this needs Options FollowSymLinks or SymLinksIfOwnerMatch (the default;\n"
               "# with neither, Apache answers 403 here). Under an Alias, add RewriteBase /its/url/.\n"
               "<IfModule mod_rewrite.c>\n"
               "    <IfModule mod_mime.c>\n"
               "        RewriteEngine On\n";
        for (auto const& s : sidecars()) {
            out += fmt::format(
                "        RewriteCond %{{HTTP:Accept-Encoding}} \\b{0}\\b [NC]\n"
                "        RewriteCond %{{HTTP:Accept-Encoding}} !\\b{0}\\s*;\\s*q=0(\\.0*)?\\s*(,|$) [NC]\n"
                "        RewriteCond %{{REQUEST_FILENAME}}.{1} -s\n"
                "        RewriteRule ^(.+\\.({2}))$ $1.{1} [NC,END,E=no-gzip:1,E=no-brotli:1]\n",
                s.coding, s.suffix, sources);
        }
        // Scoped to sidecar names: globally, "AddEncoding gzip .gz" would make a browser
        // unpack a downloaded "sources.tar.gz".
        out += fmt::format("        # python.wasm.gz is application/wasm with Content-Encoding: gzip.\n"
                           "        <FilesMatch \"(?i)\\.({})\\.({})$\">\n"
                           "            RemoveType .{}\n",
                           sources, sidecar_suffixes("|"), sidecar_suffixes(" ."));
        for (auto const& s : sidecars()) out += fmt::format("            AddEncoding {} .{}\n", s.coding, s.suffix);
        out += fmt::format("        </FilesMatch>\n"
                           "    </IfModule>\n"
                           "</IfModule>\n"
                           "<IfModule mod_headers.c>\n"
                           "    <FilesMatch \"(?i)\\.({})\\.({})$\">\n"
                           "        Header always merge Vary Accept-Encoding\n"
                           "    </FilesMatch>\n"
                           "</IfModule>\n",
                           sources, sidecar_suffixes("|"));
    }
    return out;
}

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
    out += "    # A types {} block replaces the inherited map, so it lists every type wasmdev knows.\n"
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
        out += "    # --precompressed: X.gz beside X goes out in place of X to clients that accept gzip.\n"
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
    out += fmt::format("encode {} {{\n    minimum_length {}\n    match {{\n", caddy_encoders(), o.policy.min_compress_bytes);
    for (auto t : compressible_types(groups, true)) out += fmt::format("        header Content-Type {}*\n", t);
    out += "    }\n}\n";
    out += fmt::format("# application/octet-stream is compressible only for these names (Emscripten's .data).\n"
                       "@compress_by_name path {}\nencode @compress_by_name {} {{\n    minimum_length {}\n"
                       "    match {{\n        header Content-Type {}*\n    }}\n}}\n",
                       join(compressible_by_name(), " ", "*."), caddy_encoders(), o.policy.min_compress_bytes,
                       mime::default_type);
    if (o.cache) {
        // Backticks: a raw Caddyfile token, so the regex's backslash reaches Caddy as is.
        out += fmt::format("# --cache: a content hash in the name means the bytes never change: keep them a year.\n"
                           "# Errors keep the policy's Cache-Control: a 404 cached for a year would outlive the fix.\n"
                           "@hashed path_regexp `{}`\nheader @hashed Cache-Control {}\n"
                           "handle_errors {{\n    header Cache-Control {}\n}}\n",
                           hashed_regex, caddy_value(immutable), caddy_value(cache_control_of(headers)));
    }
    out += o.precompressed ? "# --precompressed: " + sidecar_names() + " beside X goes out in place of X when accepted.\n" +
                                 "file_server {\n    precompressed " + sidecar_tokens() + "\n}\n"
                           : std::string("file_server\n");
    return out;
}

}  // namespace

std::string render(RenderOptions const& o) {
    switch (o.format) {
        case Format::apache: return render_apache(o);
        case Format::nginx: return render_nginx(o);
        case Format::caddy: return render_caddy(o);
    }
    return {};
}

std::optional<std::string> unrenderable(RenderOptions const& o) {
    for (auto const& [name, value] : o.policy.extra_headers) {
        std::optional<std::string> why;
        switch (o.format) {
            case Format::apache: why = apache_refusal(name, value); break;
            case Format::nginx: why = nginx_refusal(name, value); break;
            case Format::caddy: why = caddy_refusal(name, value); break;
        }
        if (why) return why;
        if (o.format == Format::apache) {
            // The header's directive line, and its comment line when the command is split.
            auto const directive = fmt::format("    Header always set {} {}", apache_word(name), apache_value(value));
            auto const comment = fmt::format("#     {}", header_arg({name, value}));
            if (std::max(directive.size(), comment.size()) > apache_max_line)
                return fmt::format("the .htaccess line for the header \"{:.40}\" would be longer than the {} bytes "
                                   "Apache reads from a line", name, apache_max_line);
        }
    }
    return std::nullopt;
}

std::string_view hashed_asset_regex() { return hashed_regex; }

}  // namespace wasmdev::htaccess
