#include "server/deploy/formats.hpp"

#include <array>

namespace wasmdev::deploy {

// One renderer and one check per format, each in its render_<format>.cpp.
#define WASMDEV_DEPLOY_FORMAT(id)                    \
    std::string render_##id(RenderOptions const& o); \
    Verdict check_##id(RenderOptions const& o);
WASMDEV_DEPLOY_FORMAT(apache)
WASMDEV_DEPLOY_FORMAT(nginx)
WASMDEV_DEPLOY_FORMAT(caddy)
WASMDEV_DEPLOY_FORMAT(netlify)
WASMDEV_DEPLOY_FORMAT(netlify_toml)
WASMDEV_DEPLOY_FORMAT(cloudflare)
WASMDEV_DEPLOY_FORMAT(vercel)
WASMDEV_DEPLOY_FORMAT(firebase)
WASMDEV_DEPLOY_FORMAT(github_pages)
#undef WASMDEV_DEPLOY_FORMAT

namespace {

constexpr auto table = std::to_array<FormatSpec>({
    {"apache",
     ".htaccess",
     "Apache .htaccess (AllowOverride FileInfo)",
     render_apache,
     check_apache,
     Existing::replace,
     {},
     {},
     true},
    {"nginx",
     "wasmdev-nginx.conf",
     "nginx location snippet",
     render_nginx,
     check_nginx,
     Existing::replace,
     {},
     {},
     true},
    {"caddy", "wasmdev.caddy", "Caddyfile snippet", render_caddy, check_caddy, Existing::replace, {}, {}, true},
    {"netlify",
     "_headers",
     "Netlify _headers in the publish directory",
     render_netlify,
     check_netlify,
     Existing::replace,
     {},
     {},
     false},
    {"netlify-toml",
     "netlify.toml",
     "Netlify netlify.toml [[headers]] (merged into an existing file)",
     render_netlify_toml,
     check_netlify_toml,
     Existing::merge_toml,
     {},
     {},
     false},
    {"cloudflare",
     "_headers",
     "Cloudflare Pages _headers in the build output directory",
     render_cloudflare,
     check_cloudflare,
     Existing::replace,
     {},
     {},
     false},
    {"vercel", "vercel.json", "Vercel vercel.json \"headers\" (merged into an existing file)", render_vercel,
     check_vercel, Existing::merge_json, "headers", "routes", false},
    {"firebase",
     "firebase.json",
     "Firebase Hosting firebase.json hosting.headers (merged into an existing file)",
     render_firebase,
     check_firebase,
     Existing::merge_json,
     "hosting.headers",
     {},
     false},
    {"github-pages",
     "wasmdev-coi.js",
     "GitHub Pages (no header control): a service worker that adds the headers; first <script> in <head>",
     render_github_pages,
     check_github_pages,
     Existing::replace,
     {},
     {},
     false},
});

}  // namespace

std::span<FormatSpec const> formats() { return table; }

FormatSpec const* find_format(std::string_view name) {
    for (auto const& f : table)
        if (f.name == name) return &f;
    return nullptr;
}

}  // namespace wasmdev::deploy
