// Deployment configs (docs/design.md#config-formats) rendered from the same header policy (http::policy_headers)
// and MIME table (mime::table) that `serve` uses, so preview and production cannot drift:
// an Apache .htaccess, an nginx location snippet, a Caddyfile snippet; content codings come
// from the coding table (codings::table). Pure text: writing the file is write_config.hpp's.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "server/http/config.hpp"

namespace wasmdev::htaccess {

enum class Format { apache, nginx, caddy };

struct RenderOptions {
    Format format = Format::apache;
    http::Config policy{};       // coep, corp, --header values and min_compress_bytes
    bool precompressed = false;  // serve X.gz / X.br sidecars in place of X
    bool cache = false;          // long-lived, immutable caching for hashed asset names
};

// The config text. Total: call unrenderable() first, or a header value that the format
// cannot express literally reaches the server with that server's own meaning.
std::string render(RenderOptions const& options);

// Why these options cannot be written faithfully in their format, one line naming the header
// (quote.hpp lists each format's refusals: nginx's '$', Apache's "${" and "expr=", Caddy's
// "{$" and operator prefixes, control characters, line limits), or nullopt when render()
// makes the server send exactly the policy.
std::optional<std::string> unrenderable(RenderOptions const& options);

// The --cache pattern: a file name with a hex content hash of 8 or more digits right before
// its extension(s), "app.3f2a9c1e.js", "python-1a2b3c4d5e.wasm", "app.3f2a9c1e.js.gz".
// Written so that PCRE (Apache, nginx) and RE2 (Caddy) read it alike.
std::string_view hashed_asset_regex();

}  // namespace wasmdev::htaccess
