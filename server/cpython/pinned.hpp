// The toolchain and dependency versions a checkout pins for its own WebAssembly driver
// (docs/design.md#build-layouts): Emscripten in Tools/wasm/emscripten/{config.toml,emscripten_version.txt}
// (3.14) or Platforms/emscripten/config.toml (main), the WASI SDK and host triple in
// Platforms/WASI/config.toml, libffi and mpdecimal in the Emscripten config's tables.
// Reads files with a small TOML subset reader; compares nothing (preflight does).
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "server/cpython/layout.hpp"

namespace wasmdev::cpython {

// "key" and "table.key" -> value for the TOML a CPython config uses: [table] headers,
// key = "string" | 'string' | integer | true/false; arrays and other values are skipped.
std::map<std::string, std::string> parse_toml_scalars(std::string_view text);

struct PinnedDep {
    std::string url{};  // with {version} as the driver formats it
    std::string version{};
    std::string shasum{};
};

struct PinnedConfig {
    std::optional<std::string> emscripten_version{};  // "4.0.12"
    std::optional<std::string> wasi_sdk{};            // "34" (a major version)
    std::optional<std::string> host_triple{};         // "wasm32-wasip1"
    std::optional<PinnedDep> libffi{}, mpdec{};
    std::filesystem::path file{};  // where they were read, relative to srcdir
};
// The pins of the driver that choice names; empty for builddir and unpinned drivers.
PinnedConfig read_pinned_config(std::filesystem::path const& srcdir, PipelineChoice const& choice);

}  // namespace wasmdev::cpython
