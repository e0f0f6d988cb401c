// The deployment formats as one table (docs/deploy.md): a row per format with its name, the
// file `-o` writes where the host reads it, its one-line help, its renderer, its check (what the
// host refuses or gets wrong) and how an existing file is treated. The CLI's --format choices
// and help derive from it; adding a format is one row here and one render_<format>.cpp.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/header_policy.hpp"

namespace wasmdev::deploy {

struct RenderOptions {
    std::string_view format = "apache";     // a row's name
    http::HeaderPolicy policy{};            // coep, corp, --header values and min_compress_bytes
    bool precompressed = false;             // serve X.gz / X.br sidecars in place of X
    bool cache = false;                     // long-lived, immutable caching for hashed asset names
    std::string_view command = "htaccess";  // the subcommand the file's comment names
};

// What a format's host makes of these options: a refusal (one line; the file would not make
// the host send the policy) or warnings (one line each; the file is written, with a caveat).
struct Verdict {
    std::optional<std::string> refusal{};
    std::vector<std::string> warnings{};
};

// How `-o` treats a file that exists: replace it (after --force, keeping a .bak), or merge our
// header rules into the user's JSON or TOML and keep everything else.
enum class Existing { replace, merge_json, merge_toml };

struct FormatSpec {
    std::string_view name{};       // the --format value
    std::string_view file_name{};  // what -o writes in DIR
    std::string_view help{};       // one line for --help
    std::string (*render)(RenderOptions const&) = nullptr;
    Verdict (*check)(RenderOptions const&) = nullptr;
    Existing existing = Existing::replace;
    std::string_view merge_at{};        // merge_json: where the rules array lives ("headers", "hosting.headers")
    std::string_view refused_beside{};  // merge_json: a top-level key the host refuses beside the rules
    bool htaccess = false;              // also offered by `wasmdev htaccess`
};

std::span<FormatSpec const> formats();
FormatSpec const* find_format(std::string_view name);

}  // namespace wasmdev::deploy
