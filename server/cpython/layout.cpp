// Layout detection: file tests and PY_VERSION, then one decision per host.
#include "server/cpython/layout.hpp"

#include <regex>
#include <sstream>

#include "server/fs/read_file.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

std::optional<std::string> parse_patchlevel_version(std::string_view text) {
    static std::regex const re{R"re(^#\s*define\s+PY_VERSION\s+"([0-9]+\.[0-9]+[^"]*)")re"};
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(pos, end - pos));
        std::smatch m;
        if (std::regex_search(line, m, re)) return m[1].str();
        pos = end + 1;
    }
    return std::nullopt;
}

LayoutFacts probe_layout_facts(fs::path const& srcdir) {
    std::error_code ec;
    auto has = [&](char const* rel) { return fs::is_regular_file(srcdir / rel, ec); };
    LayoutFacts f;
    f.wasm_build_py = has("Tools/wasm/wasm_build.py");
    f.wasi_py = has("Tools/wasm/wasi.py");
    f.tools_wasm_emscripten = has("Tools/wasm/emscripten/__main__.py");
    f.tools_wasm_wasi = has("Tools/wasm/wasi/__main__.py");
    f.platforms_emscripten = has("Platforms/emscripten/__main__.py");
    f.platforms_wasi = has("Platforms/WASI/__main__.py");
    if (auto text = wasmdev::fs::read_file(srcdir / "Include" / "patchlevel.h", 1 << 20))
        f.py_version = parse_patchlevel_version(*text).value_or("");
    return f;
}

namespace {

PipelineChoice wasi_choice(LayoutFacts const& f) {
    if (f.platforms_wasi) return {Pipeline::platforms, "Platforms/WASI"};
    if (f.tools_wasm_wasi) return {Pipeline::tools_wasm, "Tools/wasm/wasi"};
    if (f.wasi_py) return {Pipeline::wasi_py, "Tools/wasm/wasi.py"};
    return {Pipeline::builddir, ""};
}

PipelineChoice emscripten_choice(LayoutFacts const& f) {
    if (f.platforms_emscripten) return {Pipeline::platforms, "Platforms/emscripten"};
    if (f.tools_wasm_emscripten) return {Pipeline::tools_wasm, "Tools/wasm/emscripten"};
    return {Pipeline::builddir, ""};
}

}  // namespace

PipelineChoice choose_pipeline(LayoutFacts const& f, Host host) {
    if (is_wasi(host)) return wasi_choice(f);
    if (is_emscripten(host)) return emscripten_choice(f);
    // The native build Python: where the script drivers keep it when wasm_build.py is gone;
    // with wasm_build.py present (3.11–3.13) its builddir/build serves the Emscripten builds.
    if (f.wasm_build_py ||
        (!f.platforms_wasi && !f.tools_wasm_wasi && !f.platforms_emscripten && !f.tools_wasm_emscripten))
        return {Pipeline::builddir, ""};
    auto w = wasi_choice(f);
    return w.pipeline != Pipeline::builddir ? w : emscripten_choice(f);
}

bool is_script_driven(Pipeline p) { return p != Pipeline::builddir; }

std::string describe_pipeline(PipelineChoice const& c) {
    switch (c.pipeline) {
        case Pipeline::builddir: return "wasm_build.py-style builddir/PROFILE (wasmdev runs configure and make)";
        case Pipeline::wasi_py: return "Tools/wasm/wasi.py (3.13 WASI; output in cross-build/)";
        case Pipeline::tools_wasm: return c.driver + " (3.14; output in cross-build/)";
        case Pipeline::platforms: return c.driver + " (3.15+/main; output in cross-build/)";
    }
    return {};
}

}  // namespace wasmdev::cpython
