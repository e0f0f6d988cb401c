// Preflight checks after wasm_build.py's _check_native(), _check_emscripten(),
// _check_wasi() and _check_clean_src(), each turned into one sentence with the fix.
#include "server/cpython/preflight.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

using K = Problem::Kind;

std::string const install_native =
    "install a C compiler, make, pkg-config and zlib headers "
    "(Debian/Ubuntu: apt install build-essential pkg-config zlib1g-dev)";
std::string const install_emsdk =
    "install and activate the Emscripten SDK (emsdk install latest && emsdk activate latest, "
    "then source emsdk_env.sh), or apt install emscripten";

// Known-broken Emscripten versions (from wasm_build.py).
std::map<EmVersion, std::string> const broken_emscripten{
    {{3, 1, 14}, "https://github.com/emscripten-core/emscripten/issues/17338"},
    {{3, 1, 16}, "https://github.com/emscripten-core/emscripten/issues/17393"},
    {{3, 1, 20}, "https://github.com/emscripten-core/emscripten/issues/17720"},
};

std::string env_value(PreflightInput const& in, std::string const& name) {
    for (auto it = in.extra_env.rbegin(); it != in.extra_env.rend(); ++it)
        if (it->starts_with(name + "=")) return it->substr(name.size() + 1);
    return env_get(in.env, name);
}

void check_native(PreflightInput const& in, std::vector<Problem>& out) {
    auto path = env_get(in.env, "PATH");
    if (find_executable("cc", path).empty() && find_executable("gcc", path).empty() &&
        find_executable("clang", path).empty())
        out.push_back({K::missing, "cc",
                       "no C compiler (cc, gcc, clang) on PATH for the native build Python: " + install_native});
    if (find_executable("make", path).empty())
        out.push_back({K::missing, "make", "make is not on PATH: " + install_native});
    if (find_executable("pkg-config", path).empty()) {
        out.push_back({K::missing, "pkg-config", "pkg-config is not on PATH: " + install_native});
    } else if (in.pkg_config_exists && !in.pkg_config_exists("zlib")) {
        out.push_back({K::missing, "zlib",
                       "pkg-config finds no zlib, which the build Python needs for zip files: " + install_native});
    }
}

void check_emscripten(PreflightInput const& in, Toolchain const& tc, std::vector<Problem>& out) {
    auto const& em = tc.emscripten;
    auto const& p = *in.profile;
    if (!em.found) {
        out.push_back(
            {K::missing, "Emscripten",
             "no Emscripten SDK found (EM_CONFIG, EMSDK and emcc on PATH are unset or empty): " + install_emsdk});
        return;
    }
    if (em.emconfigure.empty()) {
        out.push_back({K::missing, "emconfigure",
                       fmt::format("the Emscripten at {} ({}) has no emconfigure: {}", em.root.string(), em.source,
                                   install_emsdk)});
        return;
    }
    if (em.emmake.empty())
        out.push_back({K::missing, "emmake",
                       fmt::format("the Emscripten at {} has no emmake: {}", em.root.string(), install_emsdk)});
    auto version_txt = em.root / "emscripten-version.txt";
    auto version = parse_emscripten_version(em.version);
    if (em.version.empty() || !version) {
        out.push_back(
            {K::missing, version_txt.string(),
             fmt::format("cannot read the Emscripten version from {}: {}", version_txt.string(), install_emsdk)});
    } else {
        auto min =
            fmt::format("{}.{}.{}", emscripten_min_version[0], emscripten_min_version[1], emscripten_min_version[2]);
        if (*version < emscripten_min_version)
            out.push_back({K::version, "Emscripten " + em.version,
                           fmt::format("Emscripten {} in {} is older than the minimum {}: update the SDK "
                                       "(emsdk install latest), or pass --force to try anyway",
                                       em.version, em.root.string(), min)});
        if (auto b = broken_emscripten.find(*version); b != broken_emscripten.end())
            out.push_back({K::version, "Emscripten " + em.version,
                           fmt::format("Emscripten {} in {} has known bugs ({}): install another version, or pass "
                                       "--force to try anyway",
                                       em.version, em.root.string(), b->second)});
        if (p.host == Host::wasm64_emscripten && *version < EmVersion{3, 1, 21})
            out.push_back(
                {K::version, "Emscripten " + em.version,
                 fmt::format("wasm64 needs Emscripten 3.1.21 or newer, {} has {}: update the SDK, or pass --force",
                             em.root.string(), em.version)});
    }
    if (!em.node_js.empty() && ::access(em.node_js.c_str(), X_OK) != 0)
        out.push_back({K::missing, "node",
                       fmt::format("NODE_JS {} from {} does not exist: install Node.js or fix NODE_JS there",
                                   em.node_js.string(), em.config.string())});
    if (in.needs_ports && !in.offline_ports) {
        if (em.frozen_cache)
            out.push_back(
                {K::missing, "Emscripten ports",
                 fmt::format("the Emscripten at {} has a frozen cache (FROZEN_CACHE in {}), so it cannot build "
                             "its zlib, bzip2 and sqlite3 ports: pass --ports-src DIR with their sources "
                             "(apt-get source zlib bzip2 sqlite3) to build them with emcc",
                             em.root.string(), em.config.string())});
        else if (em.embuilder.empty())
            out.push_back({K::missing, "embuilder",
                           fmt::format("the Emscripten at {} has no embuilder to build its ports: pass --ports-src DIR "
                                       "with zlib, bzip2 and sqlite3 sources instead",
                                       em.root.string())});
    }
    if (!env_get(in.env, "PKG_CONFIG_PATH").empty())
        out.push_back({K::warning, "PKG_CONFIG_PATH",
                       "PKG_CONFIG_PATH is set, but emconfigure overrides it: use EM_PKG_CONFIG_PATH instead"});
}

void check_wasi(PreflightInput const& in, Toolchain const& tc, std::vector<Problem>& out) {
    auto sdk = tc.wasi_sdk;
    auto how = env_get(in.env, "WASI_SDK_PATH").empty() ? "WASI_SDK_PATH is unset" : "from WASI_SDK_PATH";
    auto wasm_ld = sdk / "bin" / "wasm-ld";
    auto clang = sdk / "bin" / "clang";
    if (::access(wasm_ld.c_str(), X_OK) != 0 || ::access(clang.c_str(), X_OK) != 0) {
        out.push_back(
            {K::missing, wasm_ld.string(),
             fmt::format("no WASI SDK at {} ({}): {} is missing; install WASI SDK 16 or newer from "
                         "https://github.com/WebAssembly/wasi-sdk/releases into /opt/wasi-sdk or set "
                         "WASI_SDK_PATH to its root",
                         sdk.string(), how, ::access(wasm_ld.c_str(), X_OK) != 0 ? "bin/wasm-ld" : "bin/clang")});
    }
    // wasm_build.py requires wasmtime for WASI; a --env HOSTRUNNER names another runner.
    auto runner = env_value(in, "HOSTRUNNER");
    std::string program = "wasmtime";
    bool custom = false;
    for (auto const& kv : in.extra_env)
        if (kv.starts_with("HOSTRUNNER=")) custom = true;
    if (custom) {
        auto sp = runner.find(' ');
        program = runner.substr(0, sp);
    }
    if (program.empty() || find_executable(program, env_get(in.env, "PATH")).empty()) {
        if (custom)
            out.push_back({K::missing, program,
                           fmt::format("the HOSTRUNNER program {} is not on PATH: fix --env HOSTRUNNER=...", program)});
        else
            out.push_back({K::missing, "wasmtime",
                           "wasmtime is not on PATH, and WASI builds run python.wasm with it: install wasmtime 0.38 or "
                           "newer (https://wasmtime.dev), or pass --env HOSTRUNNER='node /path/to/runner.mjs' to use "
                           "another WASI runtime"});
    }
}

std::string first_word(std::string const& s) {
    auto b = s.find_first_not_of(' ');
    if (b == std::string::npos) return {};
    return s.substr(b, s.find(' ', b) - b);
}

// The driver-specific checks: python3, the pinned toolchain versions, the host runner, the
// WASI sysroot's triple, and the downloads of make-libffi/make-mpdec.
void check_driver(PreflightInput const& in, CPythonLayout const& layout, Toolchain const& tc,
                  std::vector<Problem>& out) {
    auto const& p = *in.profile;
    auto path = env_get(in.env, "PATH");
    auto const& pins = in.pins;
    auto pin_file = pins.file.empty() ? in.choice.driver : pins.file.string();
    if (in.needs_python && find_executable("python3", path).empty())
        out.push_back(
            {K::missing, "python3",
             fmt::format("python3 is not on PATH, and CPython's {} is a Python script: install Python 3.11 or "
                         "newer (apt install python3)",
                         in.choice.driver)});
    // Every driver's updated_env() runs `git log -1` for SOURCE_DATE_EPOCH and only expects it
    // to fail, not to be missing: without git the configure-host step dies (seen on 3.13.5).
    if (in.needs_python && find_executable("git", path).empty())
        out.push_back({K::missing, "git",
                       fmt::format("git is not on PATH, and {} runs `git log` before configure-host (even in a "
                                   "release tarball): apt install git",
                                   in.choice.driver)});
    // `repl` or `test` on a finished build runs python.sh or make: the driver wrote the
    // host runner into them, so no toolchain is checked then.
    if (!in.builds_host) return;
    if (is_wasi(p.host)) {
        auto sdk = tc.wasi_sdk;
        auto ok = ::access((sdk / "bin" / "clang").c_str(), X_OK) == 0 &&
                  ::access((sdk / "bin" / "wasm-ld").c_str(), X_OK) == 0;
        if (!ok) {
            out.push_back(
                {K::missing, (sdk / "bin/clang").string(),
                 fmt::format("no WASI SDK at {} (bin/clang and bin/wasm-ld): install WASI SDK {}from "
                             "https://github.com/WebAssembly/wasi-sdk/releases into /opt and set WASI_SDK_PATH "
                             "to it, or assemble one from Debian's clang, lld and wasi-libc (docs/build.md)",
                             sdk.string(), pins.wasi_sdk ? *pins.wasi_sdk + " " : std::string{})});
        } else {
            auto found = wasi_sdk_version(sdk);
            if (pins.wasi_sdk && !found.empty() && !found.starts_with(*pins.wasi_sdk + "."))
                out.push_back(
                    {K::warning, "WASI SDK " + found,
                     fmt::format("CPython {} pins WASI SDK {} ({}), and {} is WASI SDK {}: the build may fail; "
                                 "install WASI SDK {} if it does",
                                 layout.version, *pins.wasi_sdk, pin_file, sdk.string(), found, *pins.wasi_sdk)});
            if (pins.wasi_sdk && found.empty())
                out.push_back({K::warning, "WASI SDK",
                               fmt::format("{} has no VERSION file (assembled from distribution packages?); CPython {} "
                                           "pins WASI SDK {} ({})",
                                           sdk.string(), layout.version, *pins.wasi_sdk, pin_file)});
            std::error_code ec;
            auto sysroot = sdk / "share" / "wasi-sysroot";
            if (!in.host_triple.empty() && std::filesystem::is_directory(sysroot / "lib", ec) &&
                !std::filesystem::exists(sysroot / "lib" / in.host_triple, ec) &&
                !std::filesystem::exists(sysroot / "lib" / "libc.a", ec))
                out.push_back(
                    {K::missing, (sysroot / "lib" / in.host_triple).string(),
                     fmt::format("the WASI sysroot {} has no lib/{}, the triple {} builds for: use a WASI SDK "
                                 "that has it (Debian's wasi-libc in trixie ships /usr/lib/{})",
                                 sysroot.string(), in.host_triple, in.choice.driver, in.host_triple)});
        }
        // The drivers' default host runner is wasmtime; --host-runner names another.
        auto program = in.host_runner ? first_word(*in.host_runner) : std::string("wasmtime");
        bool templated = in.host_runner && in.host_runner->find("{WASMTIME}") != std::string::npos;
        if (templated) program = "wasmtime";
        if (program.empty() || find_executable(program, path).empty())
            out.push_back(
                {K::missing, program,
                 in.host_runner && !templated
                     ? fmt::format("the --host-runner program {} is not on PATH", program)
                     : std::string("wasmtime is not on PATH, and the driver runs python.wasm with it: install "
                                   "wasmtime (https://wasmtime.dev), or pass --host-runner 'node "
                                   "/path/to/wasi_runner.mjs' (tests/e2e/wasi_runner.mjs) to use Node's WASI")});
    }
    if (is_emscripten(p.host) && !in.emsdk_cache) {
        // The driver calls emconfigure and emcc from PATH (or from its --emsdk-cache).
        auto const& em = tc.emscripten;
        if (em.emconfigure.empty() && find_executable("emconfigure", path).empty())
            out.push_back({K::missing, "emconfigure",
                           "no emconfigure found (EM_CONFIG, EMSDK, PATH), and the driver "
                           "calls it: " +
                               install_emsdk});
        if (pins.emscripten_version) {
            if (em.version.empty())
                out.push_back({K::missing, "Emscripten",
                               fmt::format("no Emscripten found; CPython {} pins Emscripten {} ({}): {}",
                                           layout.version, *pins.emscripten_version, pin_file, install_emsdk)});
            else if (em.version != *pins.emscripten_version)
                out.push_back(
                    {K::version, "Emscripten " + em.version,
                     fmt::format("CPython {} pins Emscripten {} ({}), and {} is Emscripten {}: install {} (emsdk "
                                 "install {} && emsdk activate {}), or pass --force to try anyway",
                                 layout.version, *pins.emscripten_version, pin_file, em.root.string(), em.version,
                                 *pins.emscripten_version, *pins.emscripten_version, *pins.emscripten_version)});
        }
        if (find_executable("node", path).empty() && (em.node_js.empty() || ::access(em.node_js.c_str(), X_OK) != 0))
            out.push_back({K::missing, "node",
                           "node is not on PATH, and the Emscripten build runs its build steps and "
                           "python.sh with it: apt install nodejs"});
    }
    if (in.needs_deps_download) {
        std::string what, hosts_down;
        for (auto const& [name, dep] : {std::pair{"libffi", pins.libffi}, std::pair{"mpdecimal", pins.mpdec}}) {
            if (!dep) continue;
            auto url = dep->url;
            auto host_begin = url.find("://");
            if (host_begin == std::string::npos) continue;
            host_begin += 3;
            auto host = url.substr(host_begin, url.find('/', host_begin) - host_begin);
            if (in.resolves && !in.resolves(host)) {
                what += (what.empty() ? "" : " and ") + std::string(name) + " " + dep->version;
                hosts_down += (hosts_down.empty() ? "" : ", ") + host;
            }
        }
        if (!what.empty())
            out.push_back({K::missing, "dependency sources",
                           fmt::format("{}'s make-libffi and make-mpdec download {}, and {} {} not resolve (offline?): "
                                       "pass --deps-src DIR with libffi-* and mpdecimal-* source trees (apt-get source "
                                       "libffi mpdecimal) to build them here",
                                       in.choice.driver, what, hosts_down,
                                       hosts_down.find(',') == std::string::npos ? "does" : "do")});
    }
}

}  // namespace

bool python_version_supported(std::string const& version, Pipeline p) {
    if (p == Pipeline::tools_wasm || p == Pipeline::platforms) return true;
    return version == "3.11" || version == "3.12" || version == "3.13";
}

std::string wasi_sdk_version(fs::path const& sdk) {
    std::ifstream in(sdk / "VERSION");
    std::string line;
    if (!in || !std::getline(in, line)) return {};
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

fs::path resolve_wasi_sdk(Environment const& env, PinnedConfig const& pins, fs::path const& opt) {
    if (auto p = env_get(env, "WASI_SDK_PATH"); !p.empty()) return p;
    std::error_code ec;
    if (pins.wasi_sdk) {
        std::vector<fs::path> found;
        for (auto const& e : fs::directory_iterator(opt, ec))
            if (e.is_directory(ec) && e.path().filename().string().starts_with("wasi-sdk-" + *pins.wasi_sdk + ".0"))
                found.push_back(e.path());
        if (found.size() == 1) return found[0];
    }
    return opt / "wasi-sdk";
}

std::vector<Problem> preflight(PreflightInput const& in, CPythonLayout const& layout, Toolchain const& tc) {
    std::vector<Problem> out;
    if (!python_version_supported(layout.version, in.choice.pipeline))
        out.push_back(
            {K::version, "Python " + layout.version,
             fmt::format("{} is Python {}, and wasmdev build knows the WASM build of 3.11 to 3.13: use such a "
                         "checkout, or pass --force to try anyway",
                         layout.srcdir.string(), layout.version)});
    auto const& p = *in.profile;
    if (in.needs_native || p.host == Host::native) check_native(in, out);
    if (is_script_driven(in.choice.pipeline)) {
        check_driver(in, layout, tc, out);
    } else {
        if (is_emscripten(p.host)) check_emscripten(in, tc, out);
        if (is_wasi(p.host)) check_wasi(in, tc, out);
    }
    if (auto marker = in_tree_build_marker(layout.srcdir))
        out.push_back({K::dirty, marker->string(),
                       fmt::format("{} holds an in-tree build ({} exists), which breaks builds in builddir/: run "
                                   "make -C {} distclean, or use a clean checkout",
                                   layout.srcdir.string(), marker->lexically_relative(layout.srcdir).string(),
                                   layout.srcdir.string())});
    return out;
}

}  // namespace wasmdev::cpython
