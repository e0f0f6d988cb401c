// Directory listings (docs/design.md#directories): renders a directory's entries as HTML, directories first,
// names escaped, links percent-encoded, sizes and times shown. Reading the directory is
// server/fs/directory.hpp's job; whether a listing is allowed (index.html, --no-listing) the handler's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/fs/directory.hpp"

namespace wasmdev::http {

using ListingEntry = fs::DirectoryEntry;

// Whether a link to name comes back from parse_target as exactly that name: not so for a
// backslash, which the target grammar refuses in any spelling (docs/design.md#paths). The handler leaves
// such names out of a listing (their link would answer 400).
bool is_listable_name(std::string_view name);

// display_path is the decoded URL path of the directory ("/a b/"); href_base its encoded form.
std::string render_listing(std::string_view display_path, std::string_view href_base,
                           std::vector<ListingEntry> entries);

}  // namespace wasmdev::http
