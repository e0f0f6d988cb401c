// The commands of CPython's WASM build as pure functions of a profile, a checkout and the
// toolchains (docs/design.md#build; CPython's Tools/wasm/README.md and wasm_build.py): configure and make argv, the
// environment each profile runs with, and the Emscripten port commands.
// Returns values only; pipeline.cpp orders them and process.cpp runs them.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/env.hpp"
#include "server/cpython/ops.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/step.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

// What the user asked for beyond the profile. Extra arguments apply to the requested
// profile's configure and make only, never to the native build Python.
struct BuildSettings {
    unsigned jobs = 1;
    bool silent = false;                    // --silent for configure and make
    std::optional<std::string> testopts{};  // TESTOPTS for test/hostrunnertest; profile default otherwise
    std::vector<std::string> configure_args{};
    std::vector<std::string> make_vars{};                 // NAME=VALUE, after make's targets
    std::vector<std::string> extra_env{};                 // NAME=VALUE, for every step, applied last
    std::optional<std::filesystem::path> ports_prefix{};  // offline ports built by `emports`
};

// [wrapper] ../../configure -C [--host --build --with-emscripten-target
// --enable-wasm-dynamic-linking --enable-wasm-pthreads --with-build-python] [--silent]
// [offline port flags] [extra]. The native profile is `../../configure -C`.
std::vector<std::string> configure_argv(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                                        BuildSettings const& s, bool is_target);
// Adds cwd, CONFIG_SITE (relative, as the README writes it) and the profile environment.
Command configure_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                          BuildSettings const& s, bool is_target);

// [emmake] make [-jN when building] [--silent] targets... [NAME=VALUE...].
std::vector<std::string> make_argv(BuildProfile const& p, Toolchain const& tc, BuildSettings const& s,
                                   std::vector<std::string> const& targets, bool is_target);
Command make_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc, BuildSettings const& s,
                     std::vector<std::string> const& targets, bool is_target);
// make targets per op: {} for build/compile (make's default, all), {"pythoninfo"},
// {"buildbottest", "TESTOPTS=-j2"}, {"--eval", "run: all; $(HOSTRUNNER) ./$(PYTHON) ", "run"}.
std::vector<std::string> make_targets_for(Op op, BuildProfile const& p, BuildSettings const& s);

// The profile's environment changes, as wasm_build.py's getenv(): MAKEFLAGS (unless set),
// Emscripten TZ=UTC, EM_COMPILER_WRAPPER, PATH (node, root); WASI_SDK_PATH, HOSTRUNNER,
// PATH; NODE_PATH/EMSDK_PYTHON for a packaged Emscripten; then --env values.
EnvChanges profile_env(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc, BuildSettings const& s);
// The wasmtime command line CPython's tests run python.wasm with (HOSTRUNNER).
std::string wasi_hostrunner(BuildProfile const& p, CPythonLayout const& layout);

// Emscripten ports the way wasm_build.py's build_emports() fetches them: embuilder, then
// one emcc link that pulls zlib, bzip2 and sqlite3 into the cache.
Command embuilder_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                          BuildSettings const& s, bool force);
Command emcc_ports_command(BuildProfile const& p, CPythonLayout const& layout, Toolchain const& tc,
                           BuildSettings const& s, std::filesystem::path const& tmpdir);
// Flags that select the port variant: -sMEMORY64, -O2/-O0 for debug targets, PIC, pthreads.
std::vector<std::string> port_variant_flags(BuildProfile const& p);

// configure arguments pointing CPython at an offline ports prefix (ZLIB_CFLAGS/ZLIB_LIBS,
// BZIP2_*, LIBSQLITE3_*), plus answers for the sqlite3 link probes, which are known from
// how emports built the library and crash old binaryen versions when probed.
std::vector<std::string> ports_prefix_configure_args(std::filesystem::path const& prefix);

}  // namespace wasmdev::cpython
