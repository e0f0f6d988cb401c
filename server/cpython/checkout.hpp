// Where the CPython checkout is and what it holds (docs/design.md#build): found from a directory
// upwards, its Python version read from `configure`, the Tools/wasm files of the 3.11–3.13
// layouts, and the in-tree-build marker that makes out-of-tree builds fail.
// Reads files only; never runs anything.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace wasmdev::cpython {

struct CPythonLayout {
    std::filesystem::path srcdir{};  // absolute
    std::string version{};           // "3.11", from PACKAGE_VERSION in configure
    // Relative to srcdir; 3.11's names unless the checkout keeps them elsewhere.
    std::filesystem::path config_site_emscripten = "Tools/wasm/config.site-wasm32-emscripten";
    std::filesystem::path config_site_wasi = "Tools/wasm/config.site-wasm32-wasi";
    std::filesystem::path wasi_env = "Tools/wasm/wasi-env";

    std::filesystem::path builddir() const { return srcdir / "builddir"; }
    std::filesystem::path profile_dir(std::string_view profile) const { return builddir() / profile; }
};

// True for a directory that looks like a CPython source tree (configure, Include/Python.h,
// Tools/wasm).
bool is_checkout(std::filesystem::path const& dir);
// The nearest checkout at or above start.
std::optional<std::filesystem::path> find_checkout(std::filesystem::path const& start);
// "3.11" from a line PACKAGE_VERSION='3.11' in configure's text.
std::optional<std::string> parse_python_version(std::string_view configure_text);
// Reads srcdir's configure and Tools/wasm layout; nullopt with error set when unusable.
std::optional<CPythonLayout> load_layout(std::filesystem::path const& srcdir, std::string& error);
// A file an in-tree build leaves behind (Programs/python.o, frozen importlib), if any:
// CPython's configure refuses out-of-tree builds next to one.
std::optional<std::filesystem::path> in_tree_build_marker(std::filesystem::path const& srcdir);

}  // namespace wasmdev::cpython
