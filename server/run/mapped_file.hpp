// The answer to a request `run --map` maps (url_map.hpp): the file below the map's DIR found
// and read the way the server finds its own files (fs::resolve: confined to DIR after symlinks,
// no dotfiles, regular files only), with the MIME table `serve` uses.
#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include "server/run/url_map.hpp"

namespace wasmdev::run {

struct MappedAnswer {
    int status = 200;  // 200, 403 (refused), 404 (missing), 405 (not GET), 500 (unreadable, too large)
    std::string content_type{};
    std::string body{};     // the file's bytes when 200
    std::string problem{};  // why it is not 200, one line for stderr
};

// dir must be canonical. Reads at most max_mapped_bytes.
MappedAnswer answer_mapped(std::filesystem::path const& dir, MappedUrl const& url, std::string_view method);

}  // namespace wasmdev::run
