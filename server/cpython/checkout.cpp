// Checkout discovery and layout, after wasm_build.py's SRCDIR, read_python_version() and
// _check_clean_src().
#include "server/cpython/checkout.hpp"

#include <regex>
#include <sstream>

#include "server/fs/read_file.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

bool is_checkout(fs::path const& dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "configure", ec) && fs::is_regular_file(dir / "Include" / "Python.h", ec) &&
           fs::is_directory(dir / "Tools" / "wasm", ec);
}

std::optional<fs::path> find_checkout(fs::path const& start) {
    std::error_code ec;
    auto dir = fs::absolute(start, ec);
    if (ec) return std::nullopt;
    dir = dir.lexically_normal();
    while (true) {
        if (is_checkout(dir)) return dir;
        if (!dir.has_relative_path()) return std::nullopt;
        auto parent = dir.parent_path();
        if (parent == dir) return std::nullopt;
        dir = parent;
    }
}

std::optional<std::string> parse_python_version(std::string_view configure_text) {
    static std::regex const re{R"(^PACKAGE_VERSION='(\d+\.\d+)')"};
    std::size_t pos = 0;
    while (pos < configure_text.size()) {
        auto end = configure_text.find('\n', pos);
        if (end == std::string_view::npos) end = configure_text.size();
        std::string line(configure_text.substr(pos, end - pos));
        std::smatch m;
        if (std::regex_search(line, m, re)) return m[1].str();
        pos = end + 1;
    }
    return std::nullopt;
}

std::optional<CPythonLayout> load_layout(fs::path const& srcdir, std::string& error) {
    if (!is_checkout(srcdir)) {
        error = srcdir.string() + " is not a CPython checkout (no configure, Include/Python.h and Tools/wasm)";
        return std::nullopt;
    }
    // CPython's configure is about 1 MB.
    auto version = parse_python_version(wasmdev::fs::read_file(srcdir / "configure", 64 << 20).value_or(""));
    if (!version) {
        error = "no PACKAGE_VERSION in " + (srcdir / "configure").string();
        return std::nullopt;
    }
    CPythonLayout layout;
    std::error_code ec;
    layout.srcdir = fs::canonical(srcdir, ec);
    if (ec) layout.srcdir = fs::absolute(srcdir).lexically_normal();
    layout.version = *version;
    // 3.13 moved the per-platform files into Tools/wasm/emscripten and Tools/wasm/wasi.
    auto pick = [&](fs::path& field, fs::path const& alt) {
        if (!fs::exists(layout.srcdir / field, ec) && fs::exists(layout.srcdir / alt, ec)) field = alt;
    };
    pick(layout.config_site_emscripten, "Tools/wasm/emscripten/config.site-wasm32-emscripten");
    pick(layout.config_site_wasi, "Tools/wasm/wasi/config.site-wasm32-wasi");
    pick(layout.wasi_env, "Tools/wasm/wasi-env");
    return layout;
}

std::optional<fs::path> in_tree_build_marker(fs::path const& srcdir) {
    std::error_code ec;
    for (auto rel : {"Programs/python.o", "Python/frozen_modules/importlib._bootstrap.h"})
        if (fs::exists(srcdir / rel, ec)) return srcdir / rel;
    return std::nullopt;
}

}  // namespace wasmdev::cpython
