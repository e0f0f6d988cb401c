// Pinned versions from the checkout's own driver config.
#include "server/cpython/pinned.hpp"
#include "server/text/ascii.hpp"

#include <cctype>
#include <sstream>

#include "server/fs/read_file.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view s) { return std::string(text::trim(s, " \t\r")); }

// A TOML scalar: a basic or literal string, an integer or a boolean; nullopt otherwise.
std::optional<std::string> scalar(std::string_view v) {
    auto t = trim(v);
    if (t.empty()) return std::nullopt;
    if (t[0] == '"' || t[0] == '\'') {
        char q = t[0];
        std::string out;
        for (std::size_t i = 1; i < t.size(); ++i) {
            char c = t[i];
            if (c == q) {
                auto rest = trim(std::string_view(t).substr(i + 1));
                if (!rest.empty() && rest[0] != '#') return std::nullopt;
                return out;
            }
            if (c == '\\' && q == '"' && i + 1 < t.size()) {
                char e = t[++i];
                out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            } else {
                out += c;
            }
        }
        return std::nullopt;  // unterminated
    }
    auto end = t.find('#');
    auto word = trim(std::string_view(t).substr(0, end));
    if (word == "true" || word == "false") return word;
    if (word.empty()) return std::nullopt;
    for (char c : word)
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-' && c != '+')
            return std::nullopt;
    return word;
}

// A checkout's config.toml or pin file is a few KiB.
std::optional<std::string> read_text(fs::path const& p) { return wasmdev::fs::read_file(p, 1 << 20); }

std::optional<std::string> get(std::map<std::string, std::string> const& m, std::string const& k) {
    auto it = m.find(k);
    if (it == m.end()) return std::nullopt;
    return it->second;
}

std::optional<PinnedDep> dep(std::map<std::string, std::string> const& m, std::string const& table) {
    auto v = get(m, table + ".version");
    if (!v) return std::nullopt;
    return PinnedDep{get(m, table + ".url").value_or(""), *v, get(m, table + ".shasum").value_or("")};
}

}  // namespace

std::map<std::string, std::string> parse_toml_scalars(std::string_view text) {
    std::map<std::string, std::string> out;
    std::string table;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = trim(text.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty() || line[0] == '#') continue;
        if (line[0] == '[') {
            auto close = line.find(']');
            table = close == std::string::npos || line.starts_with("[[") ? std::string("?")
                                                                         : trim(line.substr(1, close - 1));
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        auto key = trim(std::string_view(line).substr(0, eq));
        if (key.size() >= 2 && (key.front() == '"' || key.front() == '\'') && key.back() == key.front())
            key = key.substr(1, key.size() - 2);
        auto value = scalar(std::string_view(line).substr(eq + 1));
        if (!value || key.empty() || table == "?") continue;
        out[table.empty() ? key : table + "." + key] = *value;
    }
    return out;
}

PinnedConfig read_pinned_config(fs::path const& srcdir, PipelineChoice const& choice) {
    PinnedConfig pc;
    if (!is_script_driven(choice.pipeline)) return pc;
    if (choice.pipeline != Pipeline::platforms && choice.driver.find("wasi") != std::string::npos) {
        // 3.13's wasi.py and 3.14's Tools/wasm/wasi keep the triple in the script: wasm32-wasip1
        // from 3.13.1, wasm32-wasi before.
        auto script =
            choice.pipeline == Pipeline::wasi_py ? fs::path(choice.driver) : fs::path(choice.driver) / "__main__.py";
        if (auto text = read_text(srcdir / script)) {
            if (text->find("\"wasm32-wasip1\"") != std::string::npos)
                pc.host_triple = "wasm32-wasip1";
            else if (text->find("\"wasm32-wasi\"") != std::string::npos)
                pc.host_triple = "wasm32-wasi";
            if (pc.host_triple) pc.file = script;
        }
        return pc;
    }
    if (choice.pipeline == Pipeline::wasi_py) return pc;
    auto dir = fs::path(choice.driver);
    if (auto text = read_text(srcdir / dir / "config.toml")) {
        auto m = parse_toml_scalars(*text);
        pc.file = dir / "config.toml";
        pc.emscripten_version = get(m, "emscripten-version");
        pc.wasi_sdk = get(m, "targets.wasi-sdk");
        pc.host_triple = get(m, "targets.host-triple");
        pc.libffi = dep(m, "libffi");
        pc.mpdec = dep(m, "mpdec");
    }
    if (!pc.emscripten_version) {
        if (auto text = read_text(srcdir / dir / "emscripten_version.txt")) {
            auto v = trim(*text);
            while (!v.empty() && (v.back() == '\n')) v.pop_back();
            if (!v.empty()) {
                pc.emscripten_version = trim(v);
                if (pc.file.empty()) pc.file = dir / "emscripten_version.txt";
            }
        }
    }
    return pc;
}

}  // namespace wasmdev::cpython
