// Finds the toolchains the way users have them (docs/design.md#build): Emscripten from EM_CONFIG, EMSDK
// or emcc on PATH (emsdk, or Debian's package with wrappers in /usr/bin, its root in
// /usr/share/emscripten, a frozen cache and acorn in /usr/share/nodejs); the WASI SDK from
// WASI_SDK_PATH or /opt/wasi-sdk; the build triple. Reads files and the environment, never
// runs anything: the .emscripten config (a Python snippet) is evaluated by a tiny parser.
#pragma once
#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "server/cpython/env.hpp"

namespace wasmdev::cpython {

// What a .emscripten file sets; nullopt where it does not (or uses what we can't evaluate).
struct EmConfig {
    std::optional<std::string> emscripten_root{};
    std::optional<std::string> node_js{};
    bool frozen_cache = false;
};
// Evaluates NAME = EXPR lines: string literals, + concatenation, earlier names,
// os.path.dirname/join/expanduser/abspath, os.getenv/os.environ (EM_CONFIG is config_path).
EmConfig parse_emconfig(std::string_view text, std::string_view config_path, Environment const& env);

using EmVersion = std::array<int, 3>;
// "3.1.6", "\"3.1.19\"", "3.1.25-git" -> {3, 1, 25}.
std::optional<EmVersion> parse_emscripten_version(std::string_view text);

struct Emscripten {
    bool found = false;    // a root with emscripten-version.txt, or a config naming one
    std::string source{};  // how it was found, for messages: "EM_CONFIG=...", "emcc on PATH (...)"
    std::filesystem::path config{};
    std::filesystem::path root{};  // EMSCRIPTEN_ROOT
    std::filesystem::path node_js{};
    // Executables; empty when missing. Debian's live in /usr/bin, emsdk's in root.
    std::filesystem::path emcc{}, emconfigure{}, emmake{}, embuilder{}, emar{};
    std::string version{};      // emscripten-version.txt without quotes
    bool frozen_cache = false;  // FROZEN_CACHE = True: ports can't be built into the cache
    bool packaged = false;      // wrappers outside root (a distribution package)
    std::string node_path{};    // NODE_PATH the JS compiler needs for acorn; "" when bundled
};
Emscripten find_emscripten(Environment const& env);

// WASI_SDK_PATH, default /opt/wasi-sdk.
std::filesystem::path wasi_sdk_path(Environment const& env);

// The --build triple configure's config.guess prints, from uname(2): x86_64-pc-linux-gnu.
std::string build_triple();
unsigned default_jobs();

struct Toolchain {
    Emscripten emscripten{};
    std::filesystem::path wasi_sdk{};
    std::string build_triple{};
    bool ccache = false;
};
Toolchain discover_toolchain(Environment const& env);

}  // namespace wasmdev::cpython
