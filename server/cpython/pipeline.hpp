// The build pipeline (docs/design.md#build): turns a profile and ops into an ordered plan of steps, the
// way wasm_build.py's main() does (clean, native build Python when missing, Emscripten
// ports, configure when there is no Makefile, make, then the other ops), renders the plan
// as a shell script for --dry-run, and executes it with progress and a log.
// make_plan() is pure: it takes a snapshot of what exists on disk.
#pragma once
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/commands.hpp"
#include "server/cpython/deps.hpp"
#include "server/cpython/emports.hpp"
#include "server/cpython/ops.hpp"
#include "server/cpython/process.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/progress.hpp"
#include "server/cpython/step.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

struct Request {
    BuildProfile const* profile = nullptr;
    std::vector<Op> ops{};       // in order; build when empty
    bool clean = false;          // --clean: make clean first (and rebuild emports with it)
    bool every_profile = false;  // `wasmdev build cleanall`: remove every build directory
    BuildSettings settings{};
    std::optional<PortsSources> ports_src{};
    // Script-driven layouts (driver.hpp).
    std::optional<std::string> host_runner{};            // --host-runner TEMPLATE for configure-host
    std::optional<std::filesystem::path> emsdk_cache{};  // --emsdk-cache DIR (Platforms/emscripten)
    std::optional<DepsSources> deps_src{};               // --deps-src DIR: libffi, mpdecimal built offline
    std::optional<std::filesystem::path> wasi_sdk{};     // the SDK preflight found, passed as --wasi-sdk
};

// What exists on disk, so that planning stays a pure function.
struct FsState {
    bool native_python = false;  // builddir/build/python
    bool native_makefile = false;
    bool target_makefile = false;  // builddir/PROFILE/Makefile
    bool ports_prefix = false;     // a complete builddir/emports/PROFILE
    bool setup_local = false;      // Modules/Setup.local (WASI builds need it to exist)
};
FsState probe_state(CPythonLayout const& layout, BuildProfile const& p);

struct Plan {
    std::vector<Step> steps{};
    bool serve_browser = false;  // `repl` or `run` on a browser profile: serve after the steps
    bool run_headless = false;   // `run` on a browser profile: run the page headless (wasmdev run)
    bool needs_native = false;   // for preflight
    bool needs_ports = false;
    bool offline_ports = false;
    std::vector<std::string> notes{};   // what was skipped and why ("build Python exists: ...")
    std::string error{};                // an op that cannot apply to this profile (usage error)
    std::vector<std::string> header{};  // dry-run's first lines: which CPython, which pipeline, toolchains
    bool needs_deps_download = false;   // the driver's make-libffi/make-mpdec will download
    bool needs_python = false;          // a driver runs (python3 on PATH)
    bool builds_host = false;           // a driver step compiles for the target (toolchain checks)
    std::string serve_page{};           // repl's page relative to srcdir when not builddir/PROFILE/python.html
};
Plan make_plan(Request const& req, CPythonLayout const& layout, Toolchain const& tc, FsState const& state);

// The plan as a shell script a user could paste: each step a ( subshell ) with its
// environment changes, cd and commands. Runs nothing.
std::string render_plan(Plan const& plan, Request const& req, CPythonLayout const& layout, Toolchain const& tc);

struct RunResult {
    bool ok = true;
    bool interrupted = false;
    std::size_t failed_step = 0;  // 1-based
    Action failed_action{};
    ProcessResult process{};
    std::string error{};  // a file operation that failed
};
// Runs every step in order with base_env changed by each command's EnvChanges; stops at
// the first failure or a Ctrl-C.
RunResult execute_plan(Plan const& plan, Environment const& base_env, ProcessRunner const& runner, Progress& progress);

// The end-of-run report: durations and artifacts, or the failed step, command, exit code,
// log path and the last lines of output.
std::string render_summary(Plan const& plan, RunResult const& r, Progress const& progress,
                           std::filesystem::path const& profile_dir);

}  // namespace wasmdev::cpython
