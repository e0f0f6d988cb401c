// Directory listings (SPEC §2.4): reads a directory's visible entries and renders them as
// HTML, directories first, names escaped, links percent-encoded, sizes and times shown.
// Deciding whether a listing is allowed (index.html, --no-listing) is the handler's job.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace wasmdev::http {

struct ListingEntry {
    std::string name{};
    bool is_directory = false;
    std::uint64_t size = 0;
    std::int64_t mtime_s = 0;
    bool is_symlink = false;  // the caller decides whether its target may be shown (resolve)
};

// The entries of dir except hidden ones, unsorted; only regular files and directories
// (after following symlinks). Broken symlinks, FIFOs, sockets and devices are skipped, and
// so are names no request target can name (a backslash: its link would answer 400).
std::vector<ListingEntry> read_directory(std::filesystem::path const& dir);
// The same for an open directory (the descriptor is not consumed).
std::vector<ListingEntry> read_directory(int dir_fd);

// display_path is the decoded URL path of the directory ("/a b/"); href_base its encoded form.
std::string render_listing(std::string_view display_path, std::string_view href_base,
                           std::vector<ListingEntry> entries);

}  // namespace wasmdev::http
