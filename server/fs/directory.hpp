// Reading a directory resolve() opened, for a listing (docs/design.md#directories): its visible entries with
// kind, size and time. Entries are read through the directory's descriptor and a symlink's
// details come from what resolve() opens for it, so nothing outside the root is ever stat'ed
// through a swapped link (docs/design.md#symlinks). Rendering and link-ability are server/http/'s job.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace wasmdev::fs {

struct DirectoryEntry {
    std::string name{};
    bool is_directory = false;
    std::uint64_t size = 0;
    std::int64_t mtime_s = 0;
    bool is_symlink = false;  // listed because resolve() would serve what it leads to
};

// The entries of the directory open as dir_fd (the descriptor is not consumed), found at
// segments below root, unsorted: regular files and directories; hidden names, broken links,
// links resolve() refuses (out of root without follow_symlinks, into hidden ones), FIFOs,
// sockets and devices are left out.
std::vector<DirectoryEntry> read_directory(int dir_fd, std::filesystem::path const& root,
                                           std::vector<std::string> const& segments, bool follow_symlinks, int root_fd);

}  // namespace wasmdev::fs
