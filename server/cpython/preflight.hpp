// Checks that run before anything is built (SPEC §3), so a missing SDK costs seconds, not
// a twenty-minute build. Each problem comes back as a value naming what is wrong and the
// fix; the CLI prints them. Version refusals are the ones --force lets through.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "server/cpython/checkout.hpp"
#include "server/cpython/env.hpp"
#include "server/cpython/profiles.hpp"
#include "server/cpython/toolchain.hpp"

namespace wasmdev::cpython {

struct Problem {
    enum class Kind { missing, version, dirty, warning };
    Kind kind = Kind::missing;
    std::string what{};  // "emconfigure", "Emscripten 3.1.6"
    std::string fix{};   // one sentence: what is wrong and what to do
    bool blocks(bool force) const { return kind == Kind::missing || kind == Kind::dirty || (kind == Kind::version && !force); }
};

struct PreflightInput {
    BuildProfile const* profile = nullptr;
    bool needs_native = false;       // the native build Python will be configured or made
    bool needs_ports = false;        // the emports step will run
    bool offline_ports = false;      // ports come from --ports-src or an existing prefix
    Environment env{};               // the user's environment (PATH, PKG_CONFIG_PATH, HOSTRUNNER)
    std::vector<std::string> extra_env{};  // --env NAME=VALUE
    // pkg-config --exists MODULE, injected so the checks stay testable without processes.
    std::function<bool(std::string const&)> pkg_config_exists{};
};

inline constexpr EmVersion emscripten_min_version{3, 1, 19};

std::vector<Problem> preflight(PreflightInput const& in, CPythonLayout const& layout, Toolchain const& tc);
// The Python versions this tool knows the layout of; others are a --force refusal.
bool python_version_supported(std::string const& version);

}  // namespace wasmdev::cpython
