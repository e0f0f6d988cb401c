// The profile table, kept in the order and with the switches of wasm_build.py.
#include "server/cpython/profiles.hpp"

#include <algorithm>
#include <array>

namespace wasmdev::cpython {
namespace {

using enum Host;
using enum SupportLevel;
using T = EmscriptenTarget;

constexpr std::array<BuildProfile, 11> profiles{{
    {"build", working, native},
    {"emscripten-browser", supported, wasm32_emscripten, T::browser, true, {}},
    {"emscripten-browser-debug", working, wasm32_emscripten, T::browser_debug, true, {}},
    {"emscripten-node-dl", supported, wasm32_emscripten, T::node, true, {}},
    {"emscripten-node-dl-debug", working, wasm32_emscripten, T::node_debug, true, {}},
    {"emscripten-node-pthreads", supported, wasm32_emscripten, T::node, {}, true},
    {"emscripten-node-pthreads-debug", working, wasm32_emscripten, T::node_debug, {}, true},
    // Emscripten builds with both pthreads and dynamic linking crash.
    {"emscripten-node-dl-pthreads-debug", broken, wasm32_emscripten, T::node_debug, true, true},
    // MEMORY64 is not compatible with dynamic linking; needs Emscripten >= 3.1.21.
    {"wasm64-emscripten-node-debug", experimental, wasm64_emscripten, T::node_debug, false, false},
    {"wasi", supported, wasm32_wasi},
    {"wasi-threads", experimental, wasm32_wasi, T::none, {}, true},
}};

}  // namespace

std::span<BuildProfile const> all_profiles() { return profiles; }

BuildProfile const* find_profile(std::string_view name) {
    auto it = std::find_if(profiles.begin(), profiles.end(), [&](auto const& p) { return p.name == name; });
    return it == profiles.end() ? nullptr : &*it;
}

BuildProfile const& native_profile() { return profiles.front(); }

std::string_view host_triple(Host h) {
    switch (h) {
        case native: return "";
        case wasm32_emscripten: return "wasm32-unknown-emscripten";
        case wasm64_emscripten: return "wasm64-unknown-emscripten";
        case wasm32_wasi: return "wasm32-unknown-wasi";
    }
    return "";
}

std::string_view target_name(EmscriptenTarget t) {
    switch (t) {
        case T::none: return "";
        case T::browser: return "browser";
        case T::browser_debug: return "browser-debug";
        case T::node: return "node";
        case T::node_debug: return "node-debug";
    }
    return "";
}

std::string_view support_text(SupportLevel s) {
    switch (s) {
        case supported: return "tier 3, supported";
        case working: return "working, unsupported";
        case experimental: return "experimental, may be broken";
        case broken: return "broken / unavailable";
    }
    return "";
}

bool listed_in_help(BuildProfile const& p) { return p.support == supported || p.support == working; }
bool is_emscripten(Host h) { return h == wasm32_emscripten || h == wasm64_emscripten; }
bool is_wasi(Host h) { return h == wasm32_wasi; }
bool is_browser(BuildProfile const& p) { return p.target == T::browser || p.target == T::browser_debug; }
bool is_debug(BuildProfile const& p) { return p.target == T::browser_debug || p.target == T::node_debug; }

std::string_view python_exe(Host h) {
    if (is_emscripten(h)) return "python.js";
    if (is_wasi(h)) return "python.wasm";
    return "python";
}

}  // namespace wasmdev::cpython
