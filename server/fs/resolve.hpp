// Maps normalised target segments to a file or directory under the served root (docs/design.md#paths).
// Enforces confinement after symlinks, the dotfile policy and "regular files only".
// Opens what it finds (the descriptor is the version served: no race between check and
// read); reading the bytes is the writer's job.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server/fs/open_file.hpp"

namespace wasmdev::fs {

enum class ResolveKind { file, directory, not_found, forbidden };

class OpenFileCache;

struct Resolved {
    ResolveKind kind = ResolveKind::not_found;
    std::string path{};                      // absolute, under root when kind is file or directory
    std::shared_ptr<OpenFile const> file{};  // the opened file, or the opened directory
    std::string cause{};                     // one line for the error page when refused
};

// root must be canonical. Segments come from parse_target (already free of "..", '/', NUL).
// Every file and directory is opened from root_fd (a search-only
// descriptor of root, see open_root; opened for the call when -1) with symlinks refused on
// the way (sys/open_beneath.hpp). A path with a symlink on the way
// is resolved by realpath() and that symlink-free path opened the same way, so a symlink
// swapped in meanwhile is refused, never followed; hidden segments are checked
// on the path opened. Links leaving root are refused unless follow_symlinks.
// With open_files too, a file opened by that fast path is remembered, and a later request
// for the same path reuses it while it is still the same file (see open_cache.hpp).
Resolved resolve(std::filesystem::path const& root, std::vector<std::string> const& segments, bool follow_symlinks,
                 int root_fd = -1, OpenFileCache* open_files = nullptr);

// A descriptor of root opened for search (sys::open_directory), or -1.
int open_root(std::filesystem::path const& root);

// True for names the server neither serves nor lists: ".git", ".env", ".htaccess".
bool is_hidden_name(std::string_view name);

}  // namespace wasmdev::fs
