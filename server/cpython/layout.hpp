// Which of CPython's WebAssembly build pipelines a checkout holds (docs/design.md#build-layouts), decided from
// the files it has and Include/patchlevel.h: wasm_build.py-style builddir/ (3.11–3.13
// Emscripten, 3.11–3.12 WASI), Tools/wasm/wasi.py with cross-build/ (3.13 WASI),
// Tools/wasm/{emscripten,wasi} (3.14), Platforms/{emscripten,WASI} (3.15+, main).
// probe_layout_facts() reads the disk; choose_pipeline() is a pure function of the facts.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "server/cpython/profiles.hpp"

namespace wasmdev::cpython {

enum class Pipeline { builddir, wasi_py, tools_wasm, platforms };

// What the checkout holds, as file tests.
struct LayoutFacts {
    std::string py_version{};            // "3.13.5" from PY_VERSION; "" when unreadable
    bool wasm_build_py = false;          // Tools/wasm/wasm_build.py
    bool wasi_py = false;                // Tools/wasm/wasi.py
    bool tools_wasm_emscripten = false;  // Tools/wasm/emscripten/__main__.py (3.14; a shim on main)
    bool tools_wasm_wasi = false;        // Tools/wasm/wasi/__main__.py
    bool platforms_emscripten = false;   // Platforms/emscripten/__main__.py
    bool platforms_wasi = false;         // Platforms/WASI/__main__.py
};
LayoutFacts probe_layout_facts(std::filesystem::path const& srcdir);
// "3.13.5" from a line `#define PY_VERSION "3.13.5"` (also "3.15.0a1+").
std::optional<std::string> parse_patchlevel_version(std::string_view patchlevel_text);

struct PipelineChoice {
    Pipeline pipeline = Pipeline::builddir;
    std::string driver{};  // the script or package wasmdev runs, relative to srcdir; "" for builddir
};
// The pipeline for a profile's host. Newer drivers win when several exist (main keeps
// Tools/wasm/emscripten as a deprecated shim of Platforms/emscripten). The native build
// Python follows the WASI driver (3.13 keeps it in builddir/build for wasm_build.py).
PipelineChoice choose_pipeline(LayoutFacts const& facts, Host host);

// "wasm_build.py-style builddir/PROFILE", "Tools/wasm/wasi.py (cross-build/)", ...
std::string describe_pipeline(PipelineChoice const& c);
bool is_script_driven(Pipeline p);

}  // namespace wasmdev::cpython
