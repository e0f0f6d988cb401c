// Deployment configs (SPEC §4) rendered from the same header policy (http::policy_headers)
// and MIME table (mime::table) that `serve` uses, so preview and production cannot drift:
// an Apache .htaccess, an nginx location snippet, a Caddyfile snippet. Pure text; writing
// files is the CLI's job.
#pragma once
#include <string>

#include "server/http/config.hpp"

namespace wasmdev::htaccess {

enum class Format { apache, nginx, caddy };

struct RenderOptions {
    Format format = Format::apache;
    http::Config policy{};       // coep, corp and --header values
    bool precompressed = false;  // serve X.gz / X.br sidecars as X
    bool cache = false;          // long-lived caching for hashed asset names
};

std::string render(RenderOptions const& options);

}  // namespace wasmdev::htaccess
