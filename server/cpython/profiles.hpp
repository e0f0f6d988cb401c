// The build profiles of CPython's Tools/wasm/wasm_build.py as one table (docs/design.md#build).
// Each profile names its host triple, Emscripten target, dynamic-linking and pthreads
// switches and support level. Pure data; commands.cpp turns a profile into argv and env.
#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace wasmdev::cpython {

enum class Host { native, wasm32_emscripten, wasm64_emscripten, wasm32_wasi };
enum class EmscriptenTarget { none, browser, browser_debug, node, node_debug };
enum class SupportLevel { supported, working, experimental, broken };

struct BuildProfile {
    std::string_view name{};
    SupportLevel support = SupportLevel::working;
    Host host = Host::native;
    EmscriptenTarget target = EmscriptenTarget::none;
    std::optional<bool> dynamic_linking{};  // nullopt: configure's default (no flag passed)
    std::optional<bool> pthreads{};
    std::string_view default_testopts = "-j2";
};

// Every profile, in wasm_build.py's order; the first is the native build Python.
std::span<BuildProfile const> all_profiles();
BuildProfile const* find_profile(std::string_view name);
BuildProfile const& native_profile();

// "wasm32-unknown-emscripten", ...; "" for the native host (configure guesses it).
std::string_view host_triple(Host h);
std::string_view target_name(EmscriptenTarget t);  // --with-emscripten-target value; "" for none
std::string_view support_text(SupportLevel s);
// Supported and working profiles are listed in --help; the rest only with --all-profiles.
bool listed_in_help(BuildProfile const& p);

bool is_emscripten(Host h);
bool is_wasi(Host h);
bool is_browser(BuildProfile const& p);
bool is_debug(BuildProfile const& p);  // DWARF builds: browser-debug and node-debug targets
// The interpreter make produces in the profile's build directory.
std::string_view python_exe(Host h);

}  // namespace wasmdev::cpython
