#include "server/htaccess/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "mime/mime.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::htaccess {
namespace {

// A hashed asset name: "app.3f2a9c1e.js", "python-1a2b3c4d5e.wasm" (8+ hex digits before
// the extension). Those never change content, so they may be cached for a year.
constexpr std::string_view hashed_asset_regex = R"([.-][0-9a-fA-F]{8,}\.(js|mjs|wasm|data|css|json)$)";
constexpr std::string_view immutable = "public, max-age=31536000, immutable";

struct TypeGroup {
    std::string base;                     // media type without parameters
    bool utf8 = false;                    // the table's type carries "; charset=utf-8"
    bool compressible = false;
    std::vector<std::string_view> extensions;
};

// The MIME table grouped by media type, in the table's order.
std::vector<TypeGroup> type_groups() {
    std::vector<TypeGroup> groups;
    for (auto const& e : mime::table()) {
        auto type = e.type;
        auto semi = type.find(';');
        std::string base(type.substr(0, semi));
        bool utf8 = semi != std::string_view::npos;
        auto it = std::find_if(groups.begin(), groups.end(), [&](auto const& g) { return g.base == base && g.utf8 == utf8; });
        if (it == groups.end()) it = groups.insert(groups.end(), TypeGroup{base, utf8, false, {}});
        it->extensions.push_back(e.extension);
        // octet-stream is compressible only for .data; it is handled by name, not by type.
        if (e.compressible && base != mime::default_type) it->compressible = true;
    }
    return groups;
}

std::vector<std::string_view> compressible_by_name_only() {
    std::vector<std::string_view> out;
    for (auto const& e : mime::table())
        if (e.compressible && e.type == mime::default_type) out.push_back(e.extension);
    return out;
}

std::string join(std::vector<std::string_view> const& v, std::string_view sep, std::string_view prefix = "") {
    std::string out;
    for (auto const& s : v) out += (out.empty() ? "" : std::string(sep)) + std::string(prefix) + std::string(s);
    return out;
}

std::string dquote(std::string_view v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string render_apache(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    auto const groups = type_groups();
    std::string out;
    out += "# .htaccess for a WebAssembly build, written by `wasmdev htaccess` " WASMDEV_VERSION ".\n"
           "# The same headers and types as `wasmdev serve`: cross-origin isolation (SharedArrayBuffer,\n"
           "# wasm threads), exact MIME types for streaming compilation, compression.\n"
           "#\n"
           "# Needs, for this directory: AllowOverride FileInfo (Header, AddType, AddOutputFilterByType";
    out += o.precompressed ? ", Rewrite*)" : ")";
    out += "\n# and the modules mod_headers, mod_mime, mod_filter and mod_deflate";
    out += o.precompressed ? ", mod_rewrite" : "";
    out += ".\n# Every block is guarded by <IfModule>: a missing module loses that feature, never the site.\n\n";

    out += "# Policy headers on every response, errors included (\"always\"; plain \"Header set\" only\n"
           "# reaches 2xx responses, and a worker or a 404 without COEP breaks isolation).\n"
           "<IfModule mod_headers.c>\n";
    for (auto const& [name, value] : headers) out += fmt::format("    Header always set {} {}\n", name, dquote(value));
    if (o.cache) {
        out += fmt::format("    # --cache: hashed asset names never change content; cache them for a year.\n"
                           "    <FilesMatch \"{}\">\n        Header always set Cache-Control \"{}\"\n    </FilesMatch>\n",
                           hashed_asset_regex, immutable);
    }
    out += "</IfModule>\n\n";

    out += "# Exact types: application/wasm without parameters (or streaming compilation fails),\n"
           "# text/javascript for scripts and module workers, sources as text for DevTools.\n"
           "<IfModule mod_mime.c>\n";
    for (auto const& g : groups) out += fmt::format("    AddType {} {}\n", g.base, join(g.extensions, " ", "."));
    std::vector<std::string_view> utf8_exts;
    for (auto const& g : groups)
        if (g.utf8) utf8_exts.insert(utf8_exts.end(), g.extensions.begin(), g.extensions.end());
    out += fmt::format("    AddCharset utf-8 {}\n", join(utf8_exts, " ", "."));
    out += "</IfModule>\n\n";

    std::vector<std::string_view> compress_types;
    for (auto const& g : groups)
        if (g.compressible) compress_types.push_back(g.base);
    out += "# Compression of the compressible types (mod_deflate adds Vary: Accept-Encoding).\n"
           "<IfModule mod_filter.c>\n    <IfModule mod_deflate.c>\n";
    out += fmt::format("        AddOutputFilterByType DEFLATE {}\n", join(compress_types, " "));
    out += "    </IfModule>\n</IfModule>\n";
    out += "# application/octet-stream is compressible only for these names (Emscripten's .data).\n"
           "<IfModule mod_deflate.c>\n";
    out += fmt::format("    <FilesMatch \"\\.({})$\">\n        SetOutputFilter DEFLATE\n    </FilesMatch>\n",
                       join(compressible_by_name_only(), "|"));
    out += "</IfModule>\n";

    if (o.precompressed) {
        out += "\n# --precompressed: serve X.br / X.gz next to X when the client accepts them.\n"
               "<IfModule mod_rewrite.c>\n"
               "    RewriteEngine On\n";
        for (auto [coding, ext] : {std::pair{"br", "br"}, std::pair{"gzip", "gz"}}) {
            out += fmt::format("    RewriteCond %{{HTTP:Accept-Encoding}} \\b{}\\b\n"
                               "    RewriteCond %{{REQUEST_FILENAME}}.{} -s\n"
                               "    RewriteRule ^(.+)$ $1.{} [QSA,L,E=no-gzip:1,E=no-brotli:1]\n",
                               coding, ext, ext);
        }
        out += "</IfModule>\n"
               "<IfModule mod_mime.c>\n"
               "    # X.wasm.gz keeps X.wasm's type and gets Content-Encoding: gzip.\n"
               "    RemoveType .gz .br\n"
               "    AddEncoding gzip .gz\n"
               "    AddEncoding br .br\n"
               "</IfModule>\n"
               "<IfModule mod_headers.c>\n"
               "    <FilesMatch \"\\.(gz|br)$\">\n"
               "        Header append Vary Accept-Encoding\n"
               "    </FilesMatch>\n"
               "</IfModule>\n";
    }
    return out;
}

std::string render_nginx(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    auto const groups = type_groups();
    std::string out;
    out += "# nginx snippet for a WebAssembly build, written by `wasmdev htaccess --format nginx` " WASMDEV_VERSION
           ".\n# Include it inside a server {} block; it serves the build's directory at /.\n"
           "# The same headers and types as `wasmdev serve`.\n"
           "location / {\n";
    out += "    # A types {} block replaces the inherited map, so it lists every type the server knows.\n"
           "    types {\n";
    for (auto const& g : groups) out += fmt::format("        {} {};\n", g.base, join(g.extensions, " "));
    out += "    }\n    default_type application/octet-stream;\n";
    std::vector<std::string_view> utf8_types;
    for (auto const& g : groups)
        if (g.utf8 && g.base != "text/html") utf8_types.push_back(g.base);  // text/html is implicit
    out += fmt::format("    charset utf-8;\n    charset_types {};\n\n", join(utf8_types, " "));
    out += "    # Policy headers on every response, errors included (\"always\").\n";
    for (auto const& [name, value] : headers) out += fmt::format("    add_header {} {} always;\n", name, dquote(value));
    std::vector<std::string_view> compress_types;
    for (auto const& g : groups)
        if (g.compressible && g.base != "text/html") compress_types.push_back(g.base);  // text/html is implicit
    out += "\n    gzip on;\n    gzip_vary on;\n    gzip_min_length 1024;\n";
    out += fmt::format("    gzip_types {};\n", join(compress_types, " "));
    if (o.precompressed) out += "    # --precompressed: serve X.gz next to X when the client accepts gzip.\n    gzip_static on;\n";
    if (o.cache) {
        out += fmt::format("\n    # --cache: hashed asset names never change content; cache them for a year.\n"
                           "    location ~ \"{}\" {{\n", hashed_asset_regex);
        // add_header in a nested location replaces the outer ones: repeat the policy.
        for (auto const& [name, value] : headers)
            out += fmt::format("        add_header {} {} always;\n", name,
                               http::iequals(name, "Cache-Control") ? dquote(immutable) : dquote(value));
        out += "    }\n";
    }
    out += "}\n";
    return out;
}

std::string render_caddy(RenderOptions const& o) {
    auto const headers = http::policy_headers(o.policy);
    auto const groups = type_groups();
    std::string out;
    out += "# Caddyfile snippet for a WebAssembly build, written by `wasmdev htaccess --format caddy` " WASMDEV_VERSION
           ".\n# Paste it inside a site block; the same headers and types as `wasmdev serve`.\n";
    out += "header {\n";
    for (auto const& [name, value] : headers) {
        // Caddy runs the more specific @hashed header first; "?" keeps what it set.
        bool const default_only = o.cache && http::iequals(name, "Cache-Control");
        out += fmt::format("    {}{} {}\n", default_only ? "?" : "", name, dquote(value));
    }
    out += "}\n";
    out += "# Exact types, whatever the host's mime.types says.\n";
    for (auto const& g : groups) {
        auto type = g.utf8 ? g.base + "; charset=utf-8" : g.base;
        out += fmt::format("@type_{0} path {1}\nheader @type_{0} Content-Type {2}\n",
                           g.extensions.front(), join(g.extensions, " ", "*."), dquote(type));
    }
    std::vector<std::string_view> compress_types;
    for (auto const& g : groups)
        if (g.compressible) compress_types.push_back(g.base);
    out += "encode zstd gzip {\n    match {\n";
    for (auto t : compress_types) out += fmt::format("        header Content-Type {}*\n", t);
    out += "    }\n}\n";
    // application/octet-stream is compressible only for these names (Emscripten's .data).
    out += fmt::format("@compress_by_name path {}\nencode @compress_by_name zstd gzip {{\n    match {{\n"
                       "        header Content-Type {}*\n    }}\n}}\n",
                       join(compressible_by_name_only(), " ", "*."), mime::default_type);
    if (o.cache) {
        // Backticks: a raw Caddyfile token, so the regex's backslash reaches Caddy as is.
        out += fmt::format("@hashed path_regexp `{}`\nheader @hashed Cache-Control {}\n", hashed_asset_regex,
                           dquote(immutable));
    }
    out += o.precompressed ? "file_server {\n    precompressed br gzip\n}\n" : "file_server\n";
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

}  // namespace wasmdev::htaccess
