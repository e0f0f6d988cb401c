// Checks that run before anything is built (docs/design.md#build), so a missing SDK costs seconds, not
// a twenty-minute build. Each problem comes back as a value naming what is wrong and the
// fix; run_build.cpp prints them. Version refusals are the ones --force lets through.
#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/env.hpp"
#include "server/cpython/layout.hpp"
#include "server/cpython/pinned.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

struct Problem {
    enum class Kind { missing, version, dirty, warning };
    Kind kind = Kind::missing;
    std::string what{};  // "emconfigure", "Emscripten 3.1.6"
    std::string fix{};   // one sentence: what is wrong and what to do
    bool blocks(bool force) const {
        return kind == Kind::missing || kind == Kind::dirty || (kind == Kind::version && !force);
    }
};

struct PreflightInput {
    BuildProfile const* profile = nullptr;
    bool needs_native = false;             // the native build Python will be configured or made
    bool needs_ports = false;              // the emports step will run
    bool offline_ports = false;            // ports come from --ports-src or an existing prefix
    Environment env{};                     // the user's environment (PATH, PKG_CONFIG_PATH, HOSTRUNNER)
    std::vector<std::string> extra_env{};  // --env NAME=VALUE
    // pkg-config --exists MODULE, injected so the checks stay testable without processes.
    std::function<bool(std::string const&)> pkg_config_exists{};
    // Script-driven layouts (driver.hpp).
    PipelineChoice choice{};
    PinnedConfig pins{};
    bool needs_python = false;                 // python3 runs the driver
    bool builds_host = false;                  // a step compiles for the target: check the toolchain
    bool needs_deps_download = false;          // make-libffi/make-mpdec will download
    std::optional<std::string> host_runner{};  // --host-runner; the driver's default needs wasmtime
    std::string host_triple{};                 // WASI: the sysroot must have lib/HOST_TRIPLE
    bool emsdk_cache = false;                  // --emsdk-cache: the driver installs and uses the pinned Emscripten
    // Whether a host name resolves (for the downloads), injected to keep the checks pure.
    std::function<bool(std::string const&)> resolves{};
};

inline constexpr EmVersion emscripten_min_version{3, 1, 19};

std::vector<Problem> preflight(PreflightInput const& in, CPythonLayout const& layout, Toolchain const& tc);
// The Python versions this tool knows the layout of; others are a --force refusal.
// 3.11–3.13 with builddir/ and wasi.py; any version with a Tools/wasm/{emscripten,wasi} or
// Platforms/ driver (it is the pipeline).
bool python_version_supported(std::string const& version, Pipeline p = Pipeline::builddir);
// The first line of a WASI SDK's VERSION file ("25.0"); "" when it has none (an SDK
// assembled from distribution packages).
std::string wasi_sdk_version(std::filesystem::path const& sdk);
// The WASI SDK a driver uses: WASI_SDK_PATH, else (Platforms/WASI) a single
// /opt/wasi-sdk-PIN.0*, else /opt/wasi-sdk.
std::filesystem::path resolve_wasi_sdk(Environment const& env, PinnedConfig const& pins,
                                       std::filesystem::path const& opt = "/opt");

}  // namespace wasmdev::cpython
