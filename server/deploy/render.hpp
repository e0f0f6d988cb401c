// Deployment configs (docs/design.md#config-formats, docs/deploy.md) rendered from the same header
// policy (http::policy_headers) and MIME table (mime::table) that `serve` uses, so preview and
// production cannot drift; content codings come from the coding table (codings::table). Pure
// text: each format's layout is its render_<format>.cpp (formats.hpp's table); writing the file
// is write_config.hpp's.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "server/deploy/formats.hpp"

namespace wasmdev::deploy {

// The config text of options.format. Total: call verdict() first, or a header value that the
// format cannot express literally reaches the server with that server's own meaning.
std::string render(RenderOptions const& options);

// What the format's host makes of these options (an unknown format is a refusal).
Verdict verdict(RenderOptions const& options);

// verdict()'s refusal alone: why these options cannot be written faithfully in their format,
// one line naming the header, or nullopt when render() makes the host send exactly the policy.
std::optional<std::string> unrenderable(RenderOptions const& options);

// The --cache pattern: a file name with a hex content hash of 8 or more digits right before
// its extension(s), "app.3f2a9c1e.js", "python-1a2b3c4d5e.wasm", "app.3f2a9c1e.js.gz".
// Written so that PCRE (Apache, nginx) and RE2 (Caddy, Firebase) read it alike.
std::string_view hashed_asset_regex();

}  // namespace wasmdev::deploy
