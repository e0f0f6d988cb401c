// Apache .htaccess: headers "always" (errors too), AddType for every type of the MIME table,
// mod_deflate by type and by name, optional sidecar rewrites; every block in <IfModule>.
#include <fmt/format.h>

#include <algorithm>

#include "mime/mime.hpp"
#include "server/deploy/common.hpp"
#include "server/deploy/formats.hpp"
#include "server/deploy/quote.hpp"
#include "server/http/policy.hpp"

namespace wasmdev::deploy {

using namespace detail;

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
    out +=
        "# Exact types: application/wasm without parameters (or streaming compilation fails),\n"
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

    out +=
        "# Compression for the compressible types; mod_deflate adds Vary: Accept-Encoding.\n"
        "<IfModule mod_filter.c>\n    <IfModule mod_deflate.c>\n";
    out += fmt::format("        AddOutputFilterByType DEFLATE {}\n", join(compressible_types(all_types(), true), " "));
    out += "    </IfModule>\n</IfModule>\n";
    out +=
        "# application/octet-stream is compressible only for these names (Emscripten's .data);\n"
        "# by type it would also take .pyc files, archives and every unknown file.\n"
        "<IfModule mod_deflate.c>\n";
    out += fmt::format("    <FilesMatch \"(?i)\\.({})$\">\n        SetOutputFilter DEFLATE\n    </FilesMatch>\n",
                       join(compressible_by_name(), "|"));
    out += "</IfModule>\n";

    if (o.precompressed) {
        auto const sources = join(sidecar_sources(), "|");
        out += "\n# --precompressed: " + sidecar_names() +
               " beside X goes out in place of X when the client accepts\n"
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
        out += fmt::format(
            "        # python.wasm.gz is application/wasm with Content-Encoding: gzip.\n"
            "        <FilesMatch \"(?i)\\.({})\\.({})$\">\n"
            "            RemoveType .{}\n",
            sources, sidecar_suffixes("|"), sidecar_suffixes(" ."));
        for (auto const& s : sidecars()) out += fmt::format("            AddEncoding {} .{}\n", s.coding, s.suffix);
        out += fmt::format(
            "        </FilesMatch>\n"
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

Verdict check_apache(RenderOptions const& o) {
    for (auto const& [name, value] : o.policy.extra_headers) {
        if (auto why = apache_refusal(name, value)) return {why, {}};
        // The header's directive line, and its comment line when the command is split.
        auto const directive = fmt::format("    Header always set {} {}", apache_word(name), apache_value(value));
        auto const comment = fmt::format("#     {}", header_arg({name, value}));
        if (std::max(directive.size(), comment.size()) > apache_max_line)
            return {fmt::format("the .htaccess line for the header \"{:.40}\" would be longer than the {} bytes "
                                "Apache reads from a line",
                                name, apache_max_line),
                    {}};
    }
    return {};
}

}  // namespace wasmdev::deploy
