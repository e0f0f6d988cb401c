// Which source paths belong to the toolchain rather than the project: Emscripten's system
// libraries and headers, its ports and cache, clang's resource headers. They are counted and
// listed as toolchain sources, never as failures: the user cannot and need not serve them.
#pragma once
#include <span>
#include <string_view>

namespace wasmdev::doctor {

struct ToolchainPrefix {
    std::string_view pattern{};  // see matches_toolchain
    std::string_view origin{};   // shown to the user: where such paths come from
};

// The table, in match order.
std::span<ToolchainPrefix const> toolchain_prefixes();

// The row a path matches, or nullptr. A pattern starting with '/' is a prefix of an absolute
// path ("*" matches one path segment's rest: "/build/emscripten-*/"); one starting with "*/"
// may occur anywhere in the path; other patterns are prefixes of a relative path (what a
// source map's `sources` hold after Emscripten made them relative).
ToolchainPrefix const* match_toolchain(std::string_view path);

}  // namespace wasmdev::doctor
