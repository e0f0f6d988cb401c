// The git commit this binary was built from, for `wasmdev --version`. Its definition is
// generated at build time into one .cpp of the executable (cmake/git_commit.cmake), so a new
// commit recompiles that file alone and relinks, instead of rebuilding every folder.
#pragma once

#include <string_view>

namespace wasmdev::cli {

// `git describe --always --dirty` of the source tree, or "unknown" when it is no git
// checkout (a source tarball).
std::string_view git_commit();

}  // namespace wasmdev::cli
