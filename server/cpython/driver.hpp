// The script-driven layouts (docs/design.md#build-layouts): CPython's own driver (Tools/wasm/wasi.py,
// Tools/wasm/{emscripten,wasi}, Platforms/{emscripten,WASI}) is the pipeline, and wasmdev
// runs it one subcommand per step (configure-build-python, make-build-python, make-libffi,
// make-mpdec, configure-host, make-host, ...) so each gets a status line, a log entry and
// a timing. Plans are pure functions of the request, the checkout and a disk snapshot;
// pipeline.cpp renders and executes them like the builddir plans.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/layout.hpp"
#include "server/cpython/pinned.hpp"
#include "server/cpython/pipeline.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

// Where a driver puts things (read from the drivers: BUILD_DIR, CROSS_BUILD_DIR, ...).
struct DriverPaths {
    std::filesystem::path cross_build{};  // srcdir/cross-build
    std::filesystem::path native_dir{};   // the build Python: cross-build/build (main WASI: cross-build/BUILD-TRIPLE)
    std::filesystem::path host_dir{};     // cross-build/wasm32-wasip1, cross-build/wasm32-emscripten/build/python
    std::filesystem::path deps_dir{};     // where make-libffi/make-mpdec unpack (Emscripten)
    std::filesystem::path prefix{};       // where they install (Emscripten)
    std::string host_triple{};
    std::filesystem::path log{};  // cross-build/wasmdev-PROFILE.log
};
DriverPaths driver_paths(PipelineChoice const& c, BuildProfile const& p, CPythonLayout const& layout,
                         std::string const& build_triple, PinnedConfig const& pins);

// What exists, so that planning stays pure.
struct DriverState {
    bool native_makefile = false;
    bool native_python = false;
    bool host_makefile = false;
    bool deps_built = false;  // prefix/lib has libffi.a and libmpdec.a
};
DriverState probe_driver_state(DriverPaths const& paths);

// "" when the profile exists in this layout; otherwise the sentence naming what to use.
std::string profile_unavailable(BuildProfile const& p, PipelineChoice const& c, std::string const& py_version);

// python3 DRIVER SUBCOMMAND [options] [-- configure args]: the exact command line.
struct DriverArgs {
    bool clean = false;                                  // --clean on configure-* (they delete their directory first)
    std::vector<std::string> configure_args{};           // after `--`, for configure-* only
    std::optional<std::string> host_runner{};            // --host-runner on configure-host
    std::optional<std::filesystem::path> wasi_sdk{};     // --wasi-sdk on WASI configure-host
    std::optional<std::filesystem::path> emsdk_cache{};  // --emsdk-cache (Platforms/emscripten)
    std::vector<std::string> run_args{};                 // `run` (Platforms/emscripten)
};
std::vector<std::string> driver_argv(PipelineChoice const& c, Host host, std::string_view subcommand,
                                     DriverArgs const& a);

Plan make_driver_plan(Request const& req, CPythonLayout const& layout, PipelineChoice const& choice,
                      DriverPaths const& paths, PinnedConfig const& pins, Toolchain const& tc,
                      DriverState const& state);

// The drivers infer a pydebug host build from the build Python (its build/lib.*-pydebug
// directory), and CPython links a pydebug Emscripten build with separate DWARF: true when
// that directory exists, so repl prints the DevTools path substitution.
bool driver_build_is_pydebug(DriverPaths const& paths);

// The browser page of a finished Emscripten build, relative to srcdir: web_example/index.html
// or python.html, whichever exists (index.html first); nullopt when neither does yet.
std::optional<std::filesystem::path> find_web_page(DriverPaths const& paths, std::filesystem::path const& srcdir);

}  // namespace wasmdev::cpython
