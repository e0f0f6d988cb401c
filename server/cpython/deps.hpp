// Offline dependencies of the 3.14+ Emscripten drivers (docs/build.md): their make-libffi and
// make-mpdec download libffi and mpdecimal; with --deps-src DIR wasmdev builds the local
// source trees (Debian's `apt-get source libffi mpdecimal`) for the target instead, the way
// the driver would (its make_libffi.sh; emconfigure ./configure && make install for
// mpdecimal), into the driver's prefix, and writes the driver's own up-to-date markers.
// Finds the sources and plans the actions; the pipeline runs them.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/step.hpp"

namespace wasmdev::cpython {

struct DepsSources {
    std::filesystem::path libffi{}, mpdecimal{};
    std::string libffi_version{}, mpdecimal_version{};  // from the directory names ("3.4.8")
};
// libffi-* and mpdecimal-* trees with a configure script in dir; error names what is missing.
std::optional<DepsSources> find_deps_sources(std::filesystem::path const& dir, std::string& error);

struct PinnedDep;
// The JSON the driver compares with its config.toml table to skip a rebuild
// (prefix/libffi.json, prefix/mpdec.json): {"url": ..., "version": ..., "shasum": ...}.
std::string dep_marker_json(PinnedDep const& d);

}  // namespace wasmdev::cpython
