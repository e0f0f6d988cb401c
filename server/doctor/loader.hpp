// The doctor's only contact with the file system: files under ROOT with the server's rules
// (regular files, nothing outside ROOT after symlinks, no hidden names), bounded reads, and
// the .wasm files below a directory. Deciding anything about them is diagnose()'s job.
#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/doctor/diagnose.hpp"

namespace wasmdev::doctor {

inline constexpr std::uint64_t max_read_bytes = std::uint64_t(1) << 30;  // a CPython debug build is ~100 MB

// root must be absolute. Lookups of paths with hidden segments, or resolving outside root, say "no".
FileAccess root_file_access(std::filesystem::path const& root);

// The whole file, or nullopt when it cannot be read or is larger than max_bytes.
std::optional<std::vector<std::uint8_t>> read_whole_file(std::filesystem::path const& p,
                                                         std::uint64_t max_bytes = max_read_bytes);

// What the doctor reads of a module: its header, import and memory sections (threads) and its
// custom sections (debug info, the URLs of debug files), skipping code, data and the rest,
// which make up most of a build and say nothing about debugging it; so `serve` reading a
// 100 MB release module holds a few KiB, not 100 MB. The result is a module of those sections
// in file order. A file that is not a module gives its first bytes; a malformed section
// header gives the whole file (at most max_bytes), so the reader says where it breaks.
// nullopt when the file cannot be read or is larger than max_bytes.
std::optional<std::vector<std::uint8_t>> read_module_parts(std::filesystem::path const& p,
                                                           std::uint64_t max_bytes = max_read_bytes);
// The same for a path relative to root, with the server's rules (root_file_access).
std::optional<std::vector<std::uint8_t>> read_module_parts_under(std::filesystem::path const& root,
                                                                 std::string const& rel);

struct ModuleList {
    std::vector<std::string> relative{};  // to root, '/'-separated, sorted
    bool truncated = false;               // stopped at the limit
};

// Every *.wasm below dir (dir itself under root) but Emscripten's separate DWARF files
// (*.debug.wasm), skipping hidden directories and not following
// directory symlinks; at most `limit` modules and 200000 directory entries.
ModuleList find_modules(std::filesystem::path const& dir, std::filesystem::path const& root, std::size_t limit = 1000);

// The absolute spellings of root as DWARF may hold them: as given (made absolute) and canonical.
std::vector<std::string> root_spellings(std::filesystem::path const& root);

}  // namespace wasmdev::doctor
