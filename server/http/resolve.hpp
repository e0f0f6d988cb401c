// Maps normalised target segments to a file or directory under the served root (SPEC §2.1).
// Enforces confinement after symlinks, the dotfile policy and "regular files only".
// Reads file metadata only; opening and reading files is open_file()'s job.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wasmdev::http {

enum class ResolveKind { file, directory, not_found, forbidden };

struct Resolved {
    ResolveKind kind = ResolveKind::not_found;
    std::filesystem::path path{};  // canonical (symlinks resolved) when kind is file or directory
    std::string cause{};           // one line for the error page when refused
};

// root must be canonical. Segments come from parse_target (already free of "..", '/', NUL).
Resolved resolve(std::filesystem::path const& root, std::vector<std::string> const& segments,
                 bool follow_symlinks);

// True for names the server neither serves nor lists: ".git", ".env", ".htaccess".
bool is_hidden_name(std::string_view name);

}  // namespace wasmdev::http
