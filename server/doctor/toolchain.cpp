#include "server/doctor/toolchain.hpp"

#include <array>

namespace wasmdev::doctor {
namespace {

constexpr auto prefixes = std::to_array<ToolchainPrefix>({
    // emsdk's prebuilt system libraries are compiled with -ffile-prefix-map to this fixed prefix.
    {"/emsdk/emscripten/", "emsdk's system libraries"},
    {"/emsdk/", "emsdk"},
    // Debian's emscripten package builds its libraries in /build/emscripten-XXXXXX/.
    {"/build/emscripten-*/", "Debian's emscripten package (system libraries as built)"},
    {"/usr/share/emscripten/", "Debian's emscripten package (sysroot and cache)"},
    {"/usr/lib/emscripten/", "an emscripten package"},
    // clang's resource headers (stdarg.h, stddef.h, ...).
    {"/usr/lib/llvm-*/lib/clang/", "clang's resource headers"},
    {"/usr/lib/clang/", "clang's resource headers"},
    // emsdk wherever it is installed: upstream/emscripten/{system,cache}, upstream/lib/clang.
    {"*/upstream/emscripten/", "emsdk (system headers, ports, cache)"},
    {"*/upstream/lib/clang/", "emsdk's clang resource headers"},
    {"*/lib/clang/", "clang's resource headers (a WASI SDK's or an emsdk's)"},
    // Debian's LLVM build directory: compiler-rt's builtins linked into every wasm module.
    {"/build/reproducible-path/llvm-toolchain-*/", "Debian's LLVM (compiler-rt builtins)"},
    {"/build/llvm-toolchain-*/", "Debian's LLVM (compiler-rt builtins)"},
    {"*/cache/sysroot/", "Emscripten's sysroot cache"},
    {"*/.emscripten_cache/", "Emscripten's cache"},
    {"*/.emscripten_ports/", "Emscripten ports"},
    // WASI: a WASI SDK's sysroot wherever it is installed, Debian's wasi-libc headers, and
    // wasi-libc's sources, which its build names relative to its own tree (seen in a real
    // CPython 3.13 WASI build: libc-bottom-half/..., sysroot/include/...).
    {"*/share/wasi-sysroot/", "a WASI SDK's sysroot"},
    {"/usr/include/wasm32-wasi", "Debian's wasi-libc headers"},
    {"/usr/lib/wasm32-wasi", "Debian's wasi-libc"},
    {"*/wasi-libc/", "wasi-libc's sources"},
    {"libc-bottom-half/", "wasi-libc's sources (as its build names them)"},
    {"libc-top-half/", "wasi-libc's sources (as its build names them)"},
    {"dlmalloc/", "wasi-libc's malloc (as its build names it)"},
    {"sysroot/include/wasm32-wasi", "wasi-libc's sysroot headers (as its build names them)"},
    // Source maps: Emscripten's wasm-sourcemap.py leaves the toolchain's paths relative.
    {"system/lib/", "Emscripten's system libraries (a source map's relative path)"},
    {"system/include/", "Emscripten's system headers (a source map's relative path)"},
    {"debian/em_cache/", "Debian's emscripten sysroot (a source map's relative path)"},
    {"cache/sysroot/", "Emscripten's sysroot cache (a source map's relative path)"},
});

// A prefix match where '*' stands for the rest of one segment (no '/').
bool prefix_matches(std::string_view pattern, std::string_view path) {
    std::size_t p = 0, s = 0;
    while (p < pattern.size()) {
        if (pattern[p] == '*') {
            while (s < path.size() && path[s] != '/') ++s;
            ++p;
            continue;
        }
        if (s >= path.size() || path[s] != pattern[p]) return false;
        ++p, ++s;
    }
    return true;
}

}  // namespace

std::span<ToolchainPrefix const> toolchain_prefixes() { return prefixes; }

ToolchainPrefix const* match_toolchain(std::string_view path) {
    for (auto const& row : prefixes) {
        if (row.pattern.starts_with("*/")) {
            if (path.find(row.pattern.substr(1)) != std::string_view::npos) return &row;
        } else if (prefix_matches(row.pattern, path)) {
            return &row;
        }
    }
    return nullptr;
}

}  // namespace wasmdev::doctor
