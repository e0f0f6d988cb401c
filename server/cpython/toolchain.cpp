// Toolchain discovery, after wasm_build.py's parse_emconfig(), _check_emscripten() and
// WASI_SDK_PATH, extended to the packaged Emscripten Debian ships.
#include "server/cpython/toolchain.hpp"
#include "server/sys/cpus.hpp"
#include "server/text/ascii.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "server/fs/read_file.hpp"

namespace wasmdev::cpython {

namespace fs = std::filesystem;

namespace {

// A recursive-descent evaluator for the expressions .emscripten files use. Anything it
// does not understand evaluates to nullopt rather than a wrong path.
class ConfigExpr {
public:
    ConfigExpr(std::string_view text, std::map<std::string, std::string> const& vars, std::string_view config_path,
               Environment const& env)
        : s_(text), vars_(vars), config_path_(config_path), env_(env) {}

    std::optional<std::string> parse() {
        auto v = expr();
        skip_ws();
        if (i_ < s_.size() && s_[i_] != '#') return std::nullopt;
        return v;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
    std::map<std::string, std::string> const& vars_;
    std::string_view config_path_;
    Environment const& env_;

    void skip_ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
    }
    bool eat(char c) {
        skip_ws();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    bool peek(char c) {
        skip_ws();
        return i_ < s_.size() && s_[i_] == c;
    }

    std::optional<std::string> expr() {
        auto v = term();
        while (eat('+')) {
            auto r = term();
            if (!v || !r) return std::nullopt;
            *v += *r;
        }
        return v;
    }

    // A primary followed by .replace(a, b) calls, which only normalise separators.
    std::optional<std::string> term() {
        auto v = primary();
        while (peek('.')) {
            ++i_;
            auto name = identifier();
            if (name != "replace" || !eat('(')) return std::nullopt;
            auto args = arguments();
            if (!v || !args || args->size() != 2) return std::nullopt;
            std::string out;
            auto const& [from, to] = std::pair{(*args)[0], (*args)[1]};
            if (from.empty()) return std::nullopt;
            for (std::size_t p = 0; p < v->size();) {
                if (v->compare(p, from.size(), from) == 0) {
                    out += to;
                    p += from.size();
                } else {
                    out += (*v)[p++];
                }
            }
            v = out;
        }
        return v;
    }

    std::string identifier() {
        skip_ws();
        auto start = i_;
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
        return std::string(s_.substr(start, i_ - start));
    }

    // Dotted names: os.path.dirname; stops before ".replace".
    std::string dotted_name() {
        auto name = identifier();
        while (i_ + 1 < s_.size() && s_[i_] == '.' && s_.substr(i_ + 1, 7) != "replace") {
            ++i_;
            name += "." + identifier();
        }
        return name;
    }

    std::optional<std::vector<std::string>> arguments() {
        std::vector<std::string> args;
        if (eat(')')) return args;
        while (true) {
            auto a = expr();
            if (!a) return std::nullopt;
            args.push_back(*a);
            if (eat(')')) return args;
            if (!eat(',')) return std::nullopt;
        }
    }

    std::optional<std::string> string_literal() {
        bool raw = false;
        if (s_[i_] == 'r' || s_[i_] == 'R') {
            raw = true;
            ++i_;
        }
        char q = s_[i_++];
        std::string out;
        while (i_ < s_.size() && s_[i_] != q) {
            char c = s_[i_++];
            if (c == '\\' && !raw && i_ < s_.size()) {
                char e = s_[i_++];
                out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            } else {
                out += c;
            }
        }
        if (i_ >= s_.size()) return std::nullopt;
        ++i_;
        return out;
    }

    std::string getenv_value(std::string const& name, std::optional<std::string> def) {
        if (name == "EM_CONFIG") return std::string(config_path_);
        auto it = env_.find(name);
        if (it != env_.end()) return it->second;
        return def.value_or("");
    }

    std::optional<std::string> primary() {
        skip_ws();
        if (i_ >= s_.size()) return std::nullopt;
        char c = s_[i_];
        if (c == '\'' || c == '"' ||
            ((c == 'r' || c == 'R') && i_ + 1 < s_.size() && (s_[i_ + 1] == '\'' || s_[i_ + 1] == '"')))
            return string_literal();
        if (eat('(')) {
            auto v = expr();
            if (!eat(')')) return std::nullopt;
            return v;
        }
        if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
        auto name = dotted_name();
        if (name == "True") return "True";
        if (name == "False") return "False";
        if (name == "os.environ" && eat('[')) {
            auto key = expr();
            if (!key || !eat(']')) return std::nullopt;
            return getenv_value(*key, std::nullopt);
        }
        if (eat('(')) {
            auto args = arguments();
            if (!args) return std::nullopt;
            auto const& a = *args;
            if ((name == "os.getenv" || name == "os.environ.get") && !a.empty())
                return getenv_value(a[0], a.size() > 1 ? std::optional{a[1]} : std::nullopt);
            if (name == "os.path.dirname" && a.size() == 1) return fs::path(a[0]).parent_path().string();
            if ((name == "os.path.abspath" || name == "os.path.normpath" || name == "os.path.realpath") &&
                a.size() == 1)
                return fs::path(a[0]).lexically_normal().string();
            if (name == "os.path.expanduser" && a.size() == 1) {
                if (a[0].starts_with("~")) return getenv_value("HOME", "") + a[0].substr(1);
                return a[0];
            }
            if (name == "os.path.join" && !a.empty()) {
                fs::path p = a[0];
                for (std::size_t k = 1; k < a.size(); ++k) p /= a[k];
                return p.string();
            }
            return std::nullopt;
        }
        auto it = vars_.find(name);
        if (it == vars_.end()) return std::nullopt;
        return it->second;
    }
};

std::string trim(std::string_view s) { return std::string(text::trim(s, " \t\r\n")); }

// Version files and Emscripten's config: a few KiB.
std::optional<std::string> read_text(fs::path const& p) { return wasmdev::fs::read_file(p, 1 << 20); }

bool executable(fs::path const& p) {
    std::error_code ec;
    return !p.empty() && ::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p, ec);
}

fs::path canonical_or_empty(fs::path const& p) {
    std::error_code ec;
    auto c = fs::canonical(p, ec);
    return ec ? fs::path{} : c;
}

}  // namespace

EmConfig parse_emconfig(std::string_view text, std::string_view config_path, Environment const& env) {
    EmConfig cfg;
    std::map<std::string, std::string> vars;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(pos, end - pos);
        pos = end + 1;
        // Only top-level NAME = EXPR statements; indented or continued lines are skipped.
        if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_')) continue;
        auto eq = line.find('=');
        if (eq == std::string_view::npos || (eq + 1 < line.size() && line[eq + 1] == '=')) continue;
        auto name = trim(line.substr(0, eq));
        if (name.empty() || name.find_first_of(" .([") != std::string::npos) continue;
        auto value = ConfigExpr(line.substr(eq + 1), vars, config_path, env).parse();
        if (!value) {
            vars.erase(name);
            continue;
        }
        vars[name] = *value;
    }
    if (auto it = vars.find("EMSCRIPTEN_ROOT"); it != vars.end()) cfg.emscripten_root = it->second;
    if (auto it = vars.find("NODE_JS"); it != vars.end()) cfg.node_js = it->second;
    if (auto it = vars.find("FROZEN_CACHE"); it != vars.end()) cfg.frozen_cache = it->second == "True";
    return cfg;
}

std::optional<EmVersion> parse_emscripten_version(std::string_view text) {
    auto v = trim(text);
    while (!v.empty() && (v.front() == '"' || v.front() == '\'')) v.erase(v.begin());
    while (!v.empty() && (v.back() == '"' || v.back() == '\'')) v.pop_back();
    if (v.ends_with("-git")) v.resize(v.size() - 4);
    EmVersion out{};
    std::size_t p = 0;
    for (int k = 0; k < 3; ++k) {
        if (p >= v.size() || !std::isdigit(static_cast<unsigned char>(v[p]))) return std::nullopt;
        int n = 0;
        while (p < v.size() && std::isdigit(static_cast<unsigned char>(v[p]))) n = n * 10 + (v[p++] - '0');
        out[k] = n;
        if (k < 2) {
            if (p >= v.size() || v[p] != '.') return std::nullopt;
            ++p;
        }
    }
    if (p != v.size()) return std::nullopt;
    return out;
}

Emscripten find_emscripten(Environment const& env) {
    Emscripten em;
    auto path_value = env_get(env, "PATH");
    fs::path config;
    fs::path root_from_emcc;
    if (auto c = env_get(env, "EM_CONFIG"); !c.empty()) {
        config = c;
        em.source = "EM_CONFIG=" + c;
    } else if (auto sdk = env_get(env, "EMSDK"); !sdk.empty()) {
        config = fs::path(sdk) / ".emscripten";
        em.source = "EMSDK=" + sdk;
    } else if (auto emcc = find_executable("emcc", path_value); !emcc.empty()) {
        // emsdk's upstream/emscripten/emcc, or Debian's /usr/bin/emcc -> /usr/share/emscripten/wrapper.
        auto real = canonical_or_empty(emcc);
        if (!real.empty() && fs::exists(real.parent_path() / "emscripten-version.txt"))
            root_from_emcc = real.parent_path();
        em.source = "emcc on PATH (" + emcc + ")";
        if (!root_from_emcc.empty()) {
            for (auto cand :
                 {root_from_emcc / ".emscripten", root_from_emcc.parent_path().parent_path() / ".emscripten"})
                if (fs::exists(cand)) {
                    config = cand;
                    break;
                }
        }
    } else {
        // wasm_build.py's default: an emsdk in /opt/emsdk without emsdk_env.sh sourced.
        config = "/opt/emsdk/.emscripten";
        em.source = "the default /opt/emsdk/.emscripten";
        if (!fs::exists(config)) return em;
    }
    em.config = config;
    if (!config.empty()) {
        auto text = read_text(config);
        if (text) {
            auto cfg = parse_emconfig(*text, config.string(), env);
            if (cfg.emscripten_root) em.root = *cfg.emscripten_root;
            if (cfg.node_js) em.node_js = *cfg.node_js;
            em.frozen_cache = cfg.frozen_cache;
        }
    }
    if (em.root.empty()) em.root = root_from_emcc;
    if (em.root.empty()) return em;
    em.found = fs::exists(em.root / "emscripten-version.txt") || fs::is_directory(em.root);
    if (auto v = read_text(em.root / "emscripten-version.txt")) em.version = trim(*v);
    while (!em.version.empty() && em.version.front() == '"') em.version.erase(em.version.begin());
    while (!em.version.empty() && em.version.back() == '"') em.version.pop_back();

    // emsdk keeps executables in root; a package puts wrappers on PATH that lead back to root.
    auto croot = canonical_or_empty(em.root);
    auto tool = [&](std::string const& name) -> fs::path {
        if (executable(em.root / name)) return em.root / name;
        auto on_path = find_executable(name, path_value);
        if (on_path.empty()) return {};
        auto real = canonical_or_empty(on_path);
        if (!croot.empty() && real.parent_path() == croot) {
            em.packaged = true;
            return on_path;
        }
        return {};
    };
    em.emcc = tool("emcc");
    em.emconfigure = tool("emconfigure");
    em.emmake = tool("emmake");
    em.embuilder = tool("embuilder");
    em.emar = tool("emar");
    if (em.node_js.empty()) {
        if (auto node = find_executable("node", path_value); !node.empty()) em.node_js = node;
    }
    // Debian's emscripten has no node_modules of its own: its acorn is the nodejs package's.
    std::error_code ec;
    if (!fs::exists(em.root / "node_modules" / "acorn", ec) && fs::exists("/usr/share/nodejs/acorn", ec))
        em.node_path = "/usr/share/nodejs";
    return em;
}

fs::path wasi_sdk_path(Environment const& env) {
    auto p = env_get(env, "WASI_SDK_PATH");
    return p.empty() ? fs::path("/opt/wasi-sdk") : fs::path(p);
}

std::string build_triple() {
    struct utsname u {};
    if (::uname(&u) != 0) return "x86_64-pc-linux-gnu";
    std::string machine = u.machine;
    std::string sys = u.sysname;
    bool pc = machine == "x86_64" || (machine.size() == 4 && machine[0] == 'i' && machine.substr(2) == "86");
    std::string vendor = pc ? "pc" : "unknown";
    if (sys == "Linux") {
        std::error_code ec;
        bool musl = false;
        for (auto const& e : fs::directory_iterator("/lib", ec))
            if (e.path().filename().string().starts_with("ld-musl-")) musl = true;
        return machine + "-" + vendor + "-linux-" + (musl ? "musl" : "gnu");
    }
    if (sys == "Darwin") return machine + "-apple-darwin" + std::string(u.release);
    return machine + "-" + vendor + "-" + text::lowercase(sys);
}

// The same count `serve --threads` defaults to: the affinity mask capped by a container's
// CPU quota, so a build in a container runs as many jobs as it may use.
unsigned default_jobs() { return sys::usable_cpus(); }

Toolchain discover_toolchain(Environment const& env) {
    Toolchain t;
    t.emscripten = find_emscripten(env);
    t.wasi_sdk = wasi_sdk_path(env);
    t.build_triple = build_triple();
    t.ccache = !find_executable("ccache", env_get(env, "PATH")).empty();
    return t;
}

}  // namespace wasmdev::cpython
